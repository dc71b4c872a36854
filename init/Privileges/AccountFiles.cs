using System.Globalization;

namespace Init.Privileges;

/// <summary>A line of /etc/passwd: <c>name:password:uid:gid:gecos:home:shell</c>.</summary>
/// <remarks>Classes, not records: nothing compares them, and a record's equality members cost start-up time.</remarks>
internal sealed class PasswdEntry(string name, uint uid, uint gid, string home)
{
    internal string Name { get; } = name;
    internal uint Uid { get; } = uid;
    internal uint Gid { get; } = gid;
    internal string Home { get; } = home;
}

/// <summary>A line of /etc/group: <c>name:password:gid:member,member…</c>.</summary>
internal sealed class GroupEntry(string name, uint gid, string[] members)
{
    internal string Name { get; } = name;
    internal uint Gid { get; } = gid;
    internal string[] Members { get; } = members;
}

/// <summary>
/// The image's /etc/passwd and /etc/group, read directly: a static binary has no NSS. As glibc's files backend
/// does, blank lines, <c>#</c> comments and lines not of the file's shape (field count, numeric ids) are skipped;
/// the first entry that matches wins. A missing file reads as nothing known, not as an error.
/// </summary>
/// <remarks>
/// The lines are kept and parsed as they are enumerated: a list of each kind of entry would cost the start-up a
/// static base per list, array and comparer type (docs/design.md, issue 9's rules).
/// </remarks>
internal sealed class AccountFiles
{
    private readonly List<string>? _passwdLines;
    private readonly List<string>? _groupLines;

    internal string PasswdPath { get; }
    internal string GroupPath { get; }
    internal bool HasPasswd => _passwdLines is not null;
    internal bool HasGroup => _groupLines is not null;

    /// <summary>Reads <c>ROOT/etc/passwd</c> and <c>ROOT/etc/group</c> (root is "/" except in tests).</summary>
    internal AccountFiles(string root)
    {
        PasswdPath = Path.Join(root, "etc", "passwd");
        GroupPath = Path.Join(root, "etc", "group");
        _passwdLines = Lines(PasswdPath);
        _groupLines = Lines(GroupPath);
    }

    /// <summary>The passwd entries in file order; none when the file does not exist.</summary>
    internal IEnumerable<PasswdEntry> Passwd
    {
        get
        {
            foreach (string line in _passwdLines ?? [])
                if (ParsePasswd(line) is { } entry) yield return entry;
        }
    }

    /// <summary>The group entries in file order; none when the file does not exist.</summary>
    internal IEnumerable<GroupEntry> Group
    {
        get
        {
            foreach (string line in _groupLines ?? [])
                if (ParseGroup(line) is { } entry) yield return entry;
        }
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

    /// <summary>The file's lines but blank ones and comments; null when it does not exist.</summary>
    private static List<string>? Lines(string path)
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
        var kept = new List<string>();
        foreach (string line in lines)
            if (line.TrimStart() is { Length: > 0 } text && text[0] != '#') kept.Add(line);
        return kept;
    }
}
