using System.Globalization;

namespace Init.Interop;

/// <summary>Linux x86_64 signal numbers and names ("TERM", "SIGTERM", "RTMIN+3", "15" all parse).</summary>
internal static class SignalNames
{
    internal const int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
        SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15,
        SIGSTKFLT = 16, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22,
        SIGURG = 23, SIGXCPU = 24, SIGXFSZ = 25, SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28, SIGIO = 29,
        SIGPWR = 30, SIGSYS = 31;

    /// <summary>glibc's SIGRTMIN: it reserves the kernel's 32 and 33 for itself (so does the static init).</summary>
    internal const int RtMin = 34;

    private static readonly string[] Standard =
    [
        "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE", "ALRM",
        "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ", "VTALRM", "PROF",
        "WINCH", "IO", "PWR", "SYS",
    ];

    /// <summary>The names <see cref="TryParse"/> knows without "SIG" (for did-you-mean hints).</summary>
    internal static IEnumerable<string> Names => [.. Standard.AsSpan(1), "RTMIN", "RTMAX"];

    /// <summary>"SIGTERM"; real-time signals as glibc and kill(1) name them ("SIGRTMIN+1" is 35).</summary>
    internal static string Name(int signal) => signal switch
    {
        >= 1 and < 32 => "SIG" + Standard[signal],
        32 or 33 => $"SIG{signal}",
        RtMin => "SIGRTMIN",
        > RtMin and < SignalSet.Max => $"SIGRTMIN+{signal - RtMin}",
        SignalSet.Max => "SIGRTMAX",
        _ => $"signal {signal}",
    };

    /// <summary>Accepts a number, a name with or without "SIG" in any case, and RTMIN+N / RTMAX-N.</summary>
    internal static bool TryParse(string text, out int signal)
    {
        string name = text.ToUpperInvariant();
        if (name.StartsWith("SIG", StringComparison.Ordinal)) name = name[3..];
        signal = name switch
        {
            _ when IsNumber(name, out int number) => number,
            "RTMIN" => RtMin,
            "RTMAX" => SignalSet.Max,
            _ when name.StartsWith("RTMIN+", StringComparison.Ordinal) && IsNumber(name[6..], out int n) => RtMin + n,
            _ when name.StartsWith("RTMAX-", StringComparison.Ordinal) && IsNumber(name[6..], out int n) => SignalSet.Max - n,
            _ => Array.IndexOf(Standard, name),
        };
        return signal is >= 1 and <= SignalSet.Max;
    }

    private static bool IsNumber(string text, out int number) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number);
}
