namespace Init.Privileges;

/// <summary>[workload].user names nobody the image knows, or its files cannot be read: exit 2, nothing changed.</summary>
internal sealed class UserLookupException(string message) : Exception(message);

/// <summary>
/// Who the workload runs as: ids for setresuid/setresgid, the supplementary groups for setgroups (the primary
/// gid first, as initgroups(3) lists it), and the home directory for HOME.
/// </summary>
internal sealed class WorkloadUser(uint uid, uint gid, uint[] groups, string home)
{
    internal uint Uid { get; } = uid;
    internal uint Gid { get; } = gid;
    internal uint[] Groups { get; } = groups;
    internal string Home { get; } = home;

    /// <summary>Where the user has no passwd entry (a bare uid), as runc: gid 0 unless given, home "/".</summary>
    internal const string DefaultHome = "/";

    public override string ToString() => $"uid {Uid}, gid {Gid}, groups {string.Join(',', Groups)}, home {Home}";

    /// <summary>
    /// Resolves <c>USER[:GROUP]</c> (each a name or a number; the spec loader checked the syntax) the way runc
    /// does for <c>docker run --user</c>:
    /// <list type="bullet">
    /// <item>a name must have a passwd entry; a number is a uid, with or without an entry;</item>
    /// <item>an entry gives the primary gid and the home; without one the gid is 0 and the home "/";</item>
    /// <item>an explicit GROUP replaces the primary gid: a name must be in /etc/group, a number need not;</item>
    /// <item>without GROUP, an entry's user also gets every /etc/group group that lists its name;
    ///   with GROUP, that group is the only one (as runc: docker adds no memberships then).</item>
    /// </list>
    /// </summary>
    internal static WorkloadUser Resolve(string spec, AccountFiles files)
    {
        string[] parts = spec.Split(':');
        PasswdEntry? entry = FindUser(parts[0], files);
        uint uid = entry?.Uid ?? uint.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        string home = entry is { Home.Length: > 0 } ? entry.Home : DefaultHome;
        if (parts.Length == 2)
        {
            uint gid = FindGroup(parts[1], files);
            return new WorkloadUser(uid, gid, [gid], home);
        }
        uint primary = entry?.Gid ?? 0;
        var groups = new List<uint> { primary };
        if (entry is not null)
            foreach (GroupEntry group in files.Group)
                if (Array.IndexOf(group.Members, entry.Name) >= 0 && !groups.Contains(group.Gid)) groups.Add(group.Gid);
        return new WorkloadUser(uid, primary, [.. groups], home);
    }

    private static PasswdEntry? FindUser(string user, AccountFiles files)
    {
        bool numeric = AccountFiles.TryId(user, out uint uid);
        if (!numeric && !files.HasPasswd)
            throw new UserLookupException($"user \"{user}\": {files.PasswdPath} does not exist (a name needs the image's passwd file; a numeric uid does not)");
        foreach (PasswdEntry entry in files.Passwd)
            if (numeric ? entry.Uid == uid : entry.Name == user) return entry;
        return numeric ? null : throw new UserLookupException($"user \"{user}\" not found in {files.PasswdPath}");
    }

    private static uint FindGroup(string group, AccountFiles files)
    {
        if (AccountFiles.TryId(group, out uint gid))
            return gid;
        if (!files.HasGroup)
            throw new UserLookupException($"group \"{group}\": {files.GroupPath} does not exist (a name needs the image's group file; a numeric gid does not)");
        foreach (GroupEntry entry in files.Group)
            if (entry.Name == group) return entry.Gid;
        throw new UserLookupException($"group \"{group}\" not found in {files.GroupPath}");
    }
}
