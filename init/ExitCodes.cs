namespace Init;

/// <summary>
/// The init's own exit statuses, as docs/spec.md's "Exit status" table lists them; otherwise it exits with the
/// workload's (remapped by <c>--remap-exit</c>). init/Native/startup.c exits with <see cref="CannotExecute"/> too.
/// </summary>
internal static class ExitCodes
{
    /// <summary>--help, --version, --check.</summary>
    internal const int Success = 0;

    /// <summary>An internal error before the workload started, or a workload that vanished without a status.</summary>
    internal const int InternalError = 1;

    /// <summary>Usage error, invalid spec, unknown user: every problem is listed and nothing was changed.</summary>
    internal const int InvalidInput = 2;

    /// <summary>The network (or a machine's [system]) could not be set up: the workload was not started.</summary>
    internal const int SetupFailed = 3;

    /// <summary>The workload could not be executed, or its privileges could not be set.</summary>
    internal const int CannotExecute = 126;

    /// <summary>The workload (or its workdir) was not found.</summary>
    internal const int NotFound = 127;

    /// <summary>128 + N: the workload was killed by signal N, or a stop signal N came before it was started.</summary>
    internal static int KilledBy(int signal) => 128 + signal;
}
