using Init.Interop;
using Init.Spec;

namespace Init.Privileges;

/// <summary>
/// Names a credential step of the spawn's child (init/Native/spawn.c lowers the child's credentials to
/// <see cref="WorkloadCredentials"/>: bounding set, setgroups/setresgid/setresuid, capset, no_new_privs) with the
/// capability it needs, for "cannot give the workload its privileges: …". docs/design.md ("Privileges: the
/// spawn's child") gives the order and its reasons.
/// </summary>
internal static class PrivilegeSteps
{
    /// <summary>The call that failed, or null when <paramref name="step"/> is not a credential step.</summary>
    internal static string? Describe(NativeSpawn.Step step, int detail, WorkloadCredentials credentials) => step switch
    {
        NativeSpawn.Step.BoundingSet => $"prctl(PR_CAPBSET_DROP, {Name(detail)}), which needs CAP_SETPCAP",
        NativeSpawn.Step.SetGroups => $"setgroups({string.Join(',', credentials.User?.Groups ?? [])}), which needs CAP_SETGID",
        NativeSpawn.Step.SetResGid => $"setresgid({credentials.User?.Gid}), which needs CAP_SETGID",
        NativeSpawn.Step.SetResUid => $"setresuid({credentials.User?.Uid}), which needs CAP_SETUID",
        NativeSpawn.Step.CapGet => "capget",
        NativeSpawn.Step.CapSet => "capset",
        NativeSpawn.Step.NoNewPrivileges => "prctl(PR_SET_NO_NEW_PRIVS)",
        _ => null,
    };

    private static string Name(int capability) =>
        capability < Capabilities.Names.Count ? "CAP_" + Capabilities.Names[capability] : $"capability {capability}";
}
