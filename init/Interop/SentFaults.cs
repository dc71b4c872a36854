using System.Runtime.InteropServices;

namespace Init.Interop;

/// <summary>
/// SEGV and FPE sent with kill(2) while the main thread was running: init/Native/startup.c keeps them from the
/// runtime's fault handlers (which would drop the first and die of the second) and notes them here instead.
/// </summary>
internal static partial class SentFaults
{
    /// <summary>Call once the runtime has installed its handlers (any time in Main).</summary>
    internal static void Divert(int signal)
    {
        int error = init_divert_sent_signal(signal);
        if (error != 0) throw new ErrnoException($"sigaction({signal})", error);
    }

    /// <summary>The sender's pid (0 outside the PID namespace) of a noted <paramref name="signal"/>, taking it; null if none.</summary>
    internal static int? TakeSender(int signal) => init_take_sent_signal(signal) is var pid && pid >= 0 ? pid : null;

    [LibraryImport("init_native")]
    private static partial int init_divert_sent_signal(int signal);

    [LibraryImport("init_native")]
    private static partial int init_take_sent_signal(int signal);
}
