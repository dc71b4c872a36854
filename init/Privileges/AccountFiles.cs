using System.Globalization;

namespace Init.Privileges;

/// <summary>A line of /etc/passwd: <c>name:password:uid:gid:gecos:home:shell</c>.</summary>
internal sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home);

/// <summary>A line of /etc/group: <c>name:password:gid:member,member…</c>.</summary>
internal sealed record GroupEntry(string Name, uint Gid, string[] Members);

/// <summary>
/// The image's /etc/passwd and /etc/group, read directly: a static binary has no NSS. As glibc's files backend
/// does, blank lines, <c>#</c> comments and lines not of the file's shape (field count, numeric ids) are skipped;
/// the first entry that matches wins. A missing file reads as null (nothing known), not as an error.
/// </summary>
internal sealed class AccountFiles
{
    internal string PasswdPath { get; }
    internal string GroupPath { get; }
    internal List<PasswdEntry>? Passwd { get; }
    internal List<GroupEntry>? Group { get; }

    /// <summary>Reads <c>ROOT/etc/passwd</c> and <c>ROOT/etc/group</c> (root is "/" except in tests).</summary>
    internal AccountFiles(string root)
    {
        PasswdPath = Path.Join(root, "etc", "passwd");
        GroupPath = Path.Join(root, "etc", "group");
        Passwd = Read(PasswdPath, ParsePasswd);
        Group = Read(GroupPath, ParseGroup);
    }

    internal static PasswdEntry? ParsePasswd(string line) =>
        line.Split(':') is [{ Length: > 0 } name, _, var uid, var gid, _, var home, _] && TryId(uid, out uint u) && TryId(gid, out uint g)
            ? new PasswdEntry(name, u, g, home)
            : null;

    internal static GroupEntry? ParseGroup(string line) =>
        line.Split(':') is [{ Length: > 0 } name, _, var gid, var members] && TryId(gid, out uint g)
            ? new GroupEntry(name, g, members.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            : null;

    /// <summary>A uid or gid: decimal, 0..4294967294 ((uid_t)-1 means "unchanged" to the kernel).</summary>
    internal static bool TryId(string text, out uint id) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id != uint.MaxValue;

    private static List<T>? Read<T>(string path, Func<string, T?> parse) where T : class
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserLookupException($"cannot read {path}: {e.Message}");
        }
        List<T> entries = [];
        foreach (string line in lines)
            if (line.TrimStart() is { Length: > 0 } text && text[0] != '#' && parse(line) is { } entry)
                entries.Add(entry);
        return entries;
    }
}
