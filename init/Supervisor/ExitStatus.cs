using Init.Interop;
using static Init.Interop.SignalNames;

namespace Init.Supervisor;

/// <summary>waitpid statuses as the shell reports them: the exit code, or 128 + N for a death by signal N.</summary>
internal static class ExitStatus
{
    internal static int ToExitCode(int waitStatus) =>
        TermSignal(waitStatus) is int signal ? ExitCodes.KilledBy(signal) : (waitStatus >> 8) & 0xff;

    internal static string Describe(int waitStatus) => TermSignal(waitStatus) is int signal
        ? $"killed by {Name(signal)}{((waitStatus & 0x80) != 0 ? " (core dumped)" : "")}"
        : $"exited with {(waitStatus >> 8) & 0xff}";

    private static int? TermSignal(int waitStatus) => (waitStatus & 0x7f) is var signal and not 0 ? signal : null;
}
