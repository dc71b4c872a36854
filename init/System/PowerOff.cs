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

    /// <summary>Set once the init knows it is a machine's PID 1 ([system] in the spec, or booted by a kernel).</summary>
    internal static bool AtExit { get; set; }

    /// <summary>Returns <paramref name="code"/> only when this is no machine, or when the power-off itself failed.</summary>
    internal static int Finish(int code)
    {
        if (!AtExit)
            return code;
        Log.WriteRaw(2, $"{StatusLine}{code}\n");
        Libc.sync();
        Libc.reboot(Libc.RB_POWER_OFF);
        Log.Error($"reboot(RB_POWER_OFF): {Errno.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        return code;
    }
}
