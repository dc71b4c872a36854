using Init.Interop;

using static Init.Interop.SignalNames;

namespace Init.Spec;

/// <summary>
/// Signal rewriting (dumb-init's --rewrite): a forwarded signal FROM reaches the workload as TO, or not at all
/// when TO is 0. The same rules for <c>-r FROM:TO</c> and <c>[init].rewrite</c>; only what the init receives and
/// forwards can be rewritten. Here with the spec, as configuration: the command line and the spec parse with it,
/// the supervisor applies it.
/// </summary>
internal static class SignalRewrite
{
    /// <summary>TO = 0: the signal is dropped (kill(2)'s signal 0 sends nothing).</summary>
    internal const int Drop = 0;

    /// <summary>No rewriting: every signal reaches the workload as it came.</summary>
    internal static IReadOnlyDictionary<int, int> None { get; } = new Dictionary<int, int>();

    /// <summary>The signal to send for <paramref name="signal"/>; <see cref="Drop"/> sends nothing.</summary>
    internal static int Apply(IReadOnlyDictionary<int, int> rewrite, int signal) =>
        rewrite.TryGetValue(signal, out int to) ? to : signal;

    /// <summary>A FROM signal, or why it cannot be one (null when <paramref name="signal"/> is set).</summary>
    internal static string? ParseFrom(string text, out int signal)
    {
        if (!TryParse(text, out signal))
            return NotASignal(text, drop: false);
        return Problem(signal) is { } problem ? $"{Name(signal)} cannot be rewritten: {problem}" : null;
    }

    /// <summary>A TO signal: any signal, or 0 to drop.</summary>
    internal static string? ParseTo(string text, out int signal)
    {
        if (text == "0")
        {
            signal = Drop;
            return null;
        }
        return TryParse(text, out signal) ? null : NotASignal(text, drop: true);
    }

    /// <summary>Why the init never gets <paramref name="signal"/> to forward (null when it does).</summary>
    private static string? Problem(int signal) => signal switch
    {
        SIGKILL or SIGSTOP => "it cannot be caught: the kernel acts on it, the init never receives it",
        SIGCHLD => "the init takes it as a child's exit; it is never forwarded",
        32 or 33 => "glibc reserves it; the init never receives it",
        RtMin => "the .NET runtime uses it to suspend threads; the init never receives it",
        _ => null,
    };

    private static string NotASignal(string text, bool drop) =>
        $"{SpecErrors.Quote(text)} is not a signal (a name like TERM or SIGTERM, RTMIN+N, a number 1..{SignalSet.Max}{(drop ? ", or 0 to drop it" : "")})"
        + DidYouMean.Hint(text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text, Names);
}
