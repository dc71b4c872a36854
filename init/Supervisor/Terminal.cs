using Init.Interop;
using Init.Logging;

namespace Init.Supervisor;

/// <summary>
/// The controlling terminal on stdin (`docker run -it`): the workload gets its foreground for job control, and the
/// init takes it back when the workload is gone, so Ctrl-C during the grace period reaches the init and a parent
/// shell without job control can read the terminal again instead of being stopped by SIGTTIN.
/// </summary>
internal static class Terminal
{
    /// <summary>
    /// Stdin is our controlling terminal and our group is in its foreground. A background init (`init … &amp;` in a
    /// shell) leaves the terminal alone. Groups outside our PID namespace read as 0 (under `unshare --pid --fork`,
    /// both do): taken as ours.
    /// </summary>
    internal static bool HeldByInit()
    {
        int foreground = Libc.tcgetpgrp(0);
        return foreground >= 0 && foreground == Libc.getpgrp();
    }

    /// <summary>
    /// After the workload has exited: if its group still holds the foreground, hands it back to the init's group.
    /// SIGTTOU is blocked in the init, so this works from the background. A group outside our PID namespace
    /// cannot be named: the terminal then stays as it is.
    /// </summary>
    internal static void TakeBackFrom(int workloadGroup)
    {
        int own = Libc.getpgrp();
        if (own <= 0 || Libc.tcgetpgrp(0) != workloadGroup) return;
        if (Libc.tcsetpgrp(0, own) == 0)
            Log.Debug("took the terminal's foreground back from the workload");
        else
            Log.Warn($"cannot take the terminal back: {LibcErrno.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
    }
}
