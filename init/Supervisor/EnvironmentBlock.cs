using System.Text;

namespace Init.Supervisor;

/// <summary>
/// An environment as the kernel passes it: byte entries in order, normally NAME=value, but neither unique nor
/// required to hold a '=' — the workload gets all of them back untouched, except the names the init sets.
/// </summary>
internal sealed class EnvironmentBlock(List<byte[]> entries)
{
    internal IReadOnlyList<byte[]> Entries => entries;

    /// <summary>getenv's answer: the value of the first entry named <paramref name="name"/>.</summary>
    internal byte[]? Get(string name) => IndexOf(NamePrefix(name)) is int at ? entries[at].AsSpan(name.Length + 1).ToArray() : null;

    /// <summary><see cref="Get"/> as text, for the init's own settings (INIT_*, HOME).</summary>
    internal string? GetText(string name) => Get(name) is { } value ? Encoding.UTF8.GetString(value) : null;

    /// <summary>
    /// Gives <paramref name="name"/> the <paramref name="value"/>: the first entry of that name is replaced where
    /// it stands and its later duplicates are dropped, so the override is what the workload sees whichever
    /// duplicate its libc picks (glibc's getenv takes the first, others the last); a new name is appended.
    /// </summary>
    internal void Set(string name, ReadOnlySpan<byte> value)
    {
        byte[] prefix = NamePrefix(name);
        byte[] entry = [.. prefix, .. value];
        if (IndexOf(prefix) is not int at)
        {
            entries.Add(entry);
            return;
        }
        entries[at] = entry;
        for (int later = entries.Count - 1; later > at; later--)
            if (entries[later].AsSpan().StartsWith(prefix)) entries.RemoveAt(later);
    }

    private int? IndexOf(byte[] prefix)
    {
        for (int at = 0; at < entries.Count; at++)
            if (entries[at].AsSpan().StartsWith(prefix)) return at;
        return null;
    }

    private static byte[] NamePrefix(string name) => Encoding.UTF8.GetBytes(name + "=");
}
