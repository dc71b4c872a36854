using System.Globalization;

namespace Init.Spec;

/// <summary>Durations of the contract: a whole number followed by <c>ms</c>, <c>s</c> or <c>m</c> ("250ms", "5s", "1m").</summary>
internal static class Duration
{
    /// <summary>The shortest contract form that says it exactly: "5s", or "250ms" when not whole seconds.</summary>
    internal static string Format(TimeSpan duration) =>
        duration.TotalMilliseconds % 1000 == 0 ? $"{duration.TotalSeconds}s" : $"{duration.TotalMilliseconds}ms";

    internal static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        (string digits, long unitMs) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 1L),
            _ when text.EndsWith('s') => (text[..^1], 1000L),
            _ when text.EndsWith('m') => (text[..^1], 60_000L),
            _ => ("", 0L),
        };
        if (digits.Length == 0 || !TextRules.AllDigits(digits)
            || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long count)
            || count > TimeSpan.MaxValue.TotalMilliseconds / unitMs)
            return false;
        value = TimeSpan.FromMilliseconds(count * unitMs);
        return true;
    }
}
