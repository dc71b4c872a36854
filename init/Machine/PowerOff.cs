using Init.Interop;
using Init.Logging;

namespace Init.Machine;

/// <summary>
/// The end of a machine's PID 1: when PID 1 exits the kernel panics, so instead the init prints its exit status
/// as one line on the console, syncs, and powers the machine off.
/// </summary>
internal static class PowerOff
{
    /// <summary>The well-known line, followed by the status a container's init would have exited with (docs/spec.md).</summary>
    internal const string StatusLine = "init: exit status ";

    /// <summary>The init is PID 1 of a machine, not of a container: see <see cref="Detect"/>.</summary>
    internal static bool IsMachinePid1 { get; private set; }

    /// <summary>
    /// PID 1 in the kernel's initial PID namespace, told by reboot(RB_DISABLE_CAD) succeeding — which is also the
    /// first thing a machine's init wants (Ctrl-Alt-Del becomes a SIGINT to it instead of an immediate reboot). In a
    /// container's PID namespace the call changes nothing and fails (EINVAL; EPERM without CAP_SYS_BOOT or under
    /// docker's seccomp profile), so a container's init carries on exactly as before. One syscall, only as PID 1.
    /// </summary>
    internal static void Detect() => IsMachinePid1 = Libc.getpid() == 1 && Libc.reboot(Libc.RB_DISABLE_CAD) == 0;

    /// <summary>Returns <paramref name="code"/> only when this is no machine, or when the power-off itself failed.</summary>
    internal static int Finish(int code)
    {
        if (!IsMachinePid1)
            return code;
        Log.WriteRaw(2, $"{StatusLine}{code}\n");
        Libc.sync();
        Libc.reboot(Libc.RB_POWER_OFF);
        Log.Error($"reboot(RB_POWER_OFF): {LibcErrno.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        return code;
    }
}
