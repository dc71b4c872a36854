using System.Runtime.InteropServices;
using System.Text;

namespace Init.Supervisor;

/// <summary>
/// An environment as the kernel passes it: byte entries in order, normally NAME=value, but neither unique nor
/// required to hold a '=' — the workload gets all of them back untouched, except the names the init sets.
/// <para>
/// The entries are NUL-terminated strings in native memory, and the workload's envp is made of the same pointers:
/// an inherited entry is the kernel's own bytes on the initial stack (valid for the life of the process: nothing
/// in the init changes the environment), never copied; an entry the init sets is a native copy of its own that
/// lives as long as the block.
/// </para>
/// </summary>
internal sealed unsafe class EnvironmentBlock(List<nint> entries)
{
    /// <summary>Each a NUL-terminated byte string.</summary>
    internal IReadOnlyList<nint> Entries => entries;

    /// <summary>getenv's answer: the value of the first entry named <paramref name="name"/>.</summary>
    internal byte[]? Get(string name)
    {
        byte[] prefix = NamePrefix(name);
        return IndexOf(prefix) is int at ? Bytes(entries[at])[prefix.Length..].ToArray() : null;
    }

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
        nint entry = NativeCopy([.. prefix, .. value]);
        if (IndexOf(prefix) is not int at)
        {
            entries.Add(entry);
            return;
        }
        entries[at] = entry;
        for (int later = entries.Count - 1; later > at; later--)
            if (StartsWith(entries[later], prefix)) entries.RemoveAt(later);
    }

    private int? IndexOf(byte[] prefix)
    {
        for (int at = 0; at < entries.Count; at++)
            if (StartsWith(entries[at], prefix)) return at;
        return null;
    }

    /// <summary>Without measuring the entry first: its NUL differs from every byte of a prefix, which ends in '='.</summary>
    private static bool StartsWith(nint entry, byte[] prefix)
    {
        var bytes = (byte*)entry;
        for (int i = 0; i < prefix.Length; i++)
            if (bytes[i] != prefix[i]) return false;
        return true;
    }

    private static ReadOnlySpan<byte> Bytes(nint entry) => MemoryMarshal.CreateReadOnlySpanFromNullTerminated((byte*)entry);

    private static nint NativeCopy(ReadOnlySpan<byte> bytes)
    {
        var copy = (byte*)NativeMemory.Alloc((nuint)bytes.Length + 1);
        bytes.CopyTo(new Span<byte>(copy, bytes.Length));
        copy[bytes.Length] = 0;
        return (nint)copy;
    }

    private static byte[] NamePrefix(string name) => Encoding.UTF8.GetBytes(name + "=");
}
