using Init.Spec;

namespace Init.Privileges;

/// <summary>
/// What the workload runs with, all resolved before the init changes anything: the capabilities to remove
/// (a bit per capability number; "ALL" sets every bit), the user (null: the container's own), and no_new_privs.
/// The spawn's child applies it to itself (init/Native/spawn.c; <see cref="PrivilegeSteps"/> names a failed step).
/// </summary>
internal sealed class WorkloadCredentials(ulong droppedCapabilities, WorkloadUser? user, bool noNewPrivileges)
{
    internal ulong DroppedCapabilities { get; } = droppedCapabilities;
    internal WorkloadUser? User { get; } = user;
    internal bool NoNewPrivileges { get; } = noNewPrivileges;

    /// <summary>
    /// HOME for the workload when the user switch changes it, else null (the inherited value stays); [workload].env
    /// can still set HOME over it.
    /// </summary>
    internal string? Home { get; init; }

    /// <summary>
    /// Resolves [workload] against <c>ROOT/etc/passwd</c> and <c>ROOT/etc/group</c>; throws
    /// <see cref="UserLookupException"/> for a user or group the image does not know. <paramref name="inheritedHome"/>
    /// and <paramref name="ownUid"/> are the init's HOME and uid, for <see cref="HomeFor"/>.
    /// </summary>
    internal static WorkloadCredentials Resolve(WorkloadSpec workload, string root, string? inheritedHome, uint ownUid)
    {
        ulong dropped = 0;
        foreach (string name in workload.DropCapabilities)
            dropped |= Mask(name);
        if (workload.User is not { } spec)
            return new WorkloadCredentials(dropped, null, workload.NoNewPrivileges);
        var files = new AccountFiles(root);
        WorkloadUser user = WorkloadUser.Resolve(spec, files);
        return new WorkloadCredentials(dropped, user, workload.NoNewPrivileges) { Home = HomeFor(user, files, inheritedHome, ownUid) };
    }

    /// <summary>
    /// The switched-to user's home when HOME is unset or still the container's default: what the runtime derived
    /// for the container's own user (runc sets HOME from passwd only when neither the image nor `docker run -e`
    /// set one), i.e. the passwd home of the init's uid, or "/" without an entry. Any other HOME was set on
    /// purpose and stays.
    /// </summary>
    private static string? HomeFor(WorkloadUser user, AccountFiles files, string? inheritedHome, uint ownUid)
    {
        if (inheritedHome is null)
            return user.Home;
        string containerDefault = WorkloadUser.DefaultHome;
        foreach (PasswdEntry entry in files.Passwd)
        {
            if (entry.Uid != ownUid) continue;
            if (entry.Home.Length > 0) containerDefault = entry.Home;
            break;
        }
        return inheritedHome == containerDefault ? user.Home : null;
    }

    private static ulong Mask(string name) => name == Capabilities.All ? ulong.MaxValue : 1UL << Capabilities.Number(name);
}
