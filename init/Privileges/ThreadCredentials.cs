using System.Runtime.InteropServices;

using Init.Interop;
using Init.Spec;

namespace Init.Privileges;

/// <summary>
/// Lowers the calling thread's credentials to the workload's. Credentials are per thread in the kernel and
/// posix_spawn's child copies the calling thread's, so the spawn thread does this to itself just before
/// spawning while the init's other threads keep theirs. Every call acts on this thread only (see Libc).
/// <para>
/// The order of the steps (bounding set, setgroups/setresgid/setresuid, capset, no_new_privs) is what each step
/// needs and what the kernel does at setresuid and execve; docs/design.md ("Privileges: the spawn thread") gives
/// the reasons once. A failure throws an <see cref="ErrnoException"/> naming the call and the capability it
/// needs; the thread is then half-lowered and must not spawn anything.
/// </para>
/// </summary>
internal static unsafe class ThreadCredentials
{
    internal static void Lower(WorkloadCredentials credentials)
    {
        DropFromBoundingSet(credentials.DroppedCapabilities);
        if (credentials.User is { } user)
            SwitchUser(user);
        DropFromThreadSets(credentials.DroppedCapabilities);
        if (credentials.NoNewPrivileges)
            LibcErrno.Check(Libc.prctl(Libc.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)");
    }

    /// <summary>Only what the set still holds is dropped: a capability the container never gave needs no CAP_SETPCAP.</summary>
    private static void DropFromBoundingSet(ulong dropped)
    {
        for (int capability = 0; capability < 64; capability++)
        {
            if ((dropped & (1UL << capability)) == 0)
                continue;
            int held = Libc.prctl(Libc.PR_CAPBSET_READ, (nuint)capability, 0, 0, 0);
            if (held < 0)
                break; // EINVAL: past the kernel's last capability ("ALL" sets every bit)
            if (held == 1)
                LibcErrno.Check(Libc.prctl(Libc.PR_CAPBSET_DROP, (nuint)capability, 0, 0, 0),
                    $"prctl(PR_CAPBSET_DROP, {Name(capability)}), which needs CAP_SETPCAP");
        }
    }

    private static void SwitchUser(WorkloadUser user)
    {
        var groups = new uint[user.Groups.Count];
        for (int i = 0; i < groups.Length; i++)
            groups[i] = user.Groups[i];
        fixed (uint* list = groups)
            Syscall(Libc.SYS_setgroups, groups.Length, (long)list, 0,
                $"setgroups({string.Join(',', groups)}), which needs CAP_SETGID");
        Syscall(Libc.SYS_setresgid, user.Gid, user.Gid, user.Gid, $"setresgid({user.Gid}), which needs CAP_SETGID");
        Syscall(Libc.SYS_setresuid, user.Uid, user.Uid, user.Uid, $"setresuid({user.Uid}), which needs CAP_SETUID");
    }

    private static void DropFromThreadSets(ulong dropped)
    {
        var header = new CapHeader { Version = CapHeader.Version3 };
        CapData* sets = stackalloc CapData[2];
        LibcErrno.Check(Libc.capget(&header, sets), "capget");
        for (int word = 0; word < 2; word++)
        {
            uint kept = ~(uint)(dropped >> (32 * word));
            sets[word].Effective &= kept;
            sets[word].Permitted &= kept;
            sets[word].Inheritable &= kept;
        }
        LibcErrno.Check(Libc.capset(&header, sets), "capset");
    }

    private static void Syscall(long number, long arg1, long arg2, long arg3, string operation)
    {
        if (Libc.syscall(number, arg1, arg2, arg3) < 0)
            throw new ErrnoException(operation, Marshal.GetLastPInvokeError());
    }

    private static string Name(int capability) =>
        capability < Capabilities.Names.Count ? "CAP_" + Capabilities.Names[capability] : $"capability {capability}";
}
