using System.Globalization;
using System.Text;

namespace Init.Logging;

/// <summary>
/// Text for log lines from input the init does not control (argv, paths, environment, spec values): a hostile
/// byte must not forge a line or drive the terminal.
/// </summary>
internal static class Printable
{
    /// <summary>An OS string (argv element, path) as text: valid UTF-8 as is, every other byte as \xNN.</summary>
    internal static string Of(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out Rune rune, out int used) == System.Buffers.OperationStatus.Done)
                text.Append(rune.ToString());
            else
                for (int i = 0; i < used; i++) text.Append($"\\x{bytes[i]:x2}");
            bytes = bytes[used..];
        }
        return text.ToString();
    }

    /// <summary>Arguments joined with spaces, each <see cref="Of"/>.</summary>
    internal static string Join(IEnumerable<byte[]> arguments)
    {
        List<string> texts = [];
        foreach (byte[] argument in arguments)
            texts.Add(Of(argument));
        return string.Join(' ', texts);
    }

    /// <summary>
    /// <paramref name="text"/> as one line of printable text, the one escaping of the init (log lines, spec errors):
    /// control and invisible characters (C0, DEL, C1, format characters such as U+202E, line and paragraph
    /// separators, lone surrogates, unassigned code points) become \n, \t, \r, \xNN or \uNNNN, so input can
    /// neither forge a line nor drive the terminal; cut to <paramref name="max"/> characters with "…".
    /// </summary>
    private static bool HasInvisible(string text)
    {
        foreach (char c in text)
            if (IsInvisible(c))
                return true;
        return false;
    }

    internal static string Escape(string text, int max = int.MaxValue)
    {
        if (text.Length <= max && !HasInvisible(text))
            return text;
        var shown = new StringBuilder(Math.Min(text.Length, max) + 8);
        for (int i = 0; i < text.Length; i++)
        {
            if (i >= max)
                return shown.Append('…').ToString();
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                shown.Append(c).Append(text[++i]);
            else if (IsInvisible(c))
                shown.Append(c switch
                {
                    '\n' => "\\n",
                    '\t' => "\\t",
                    '\r' => "\\r",
                    < '\u0100' => $"\\x{(int)c:x2}",
                    _ => $"\\u{(int)c:x4}",
                });
            else
                shown.Append(c);
        }
        return shown.ToString();
    }

    private static bool IsInvisible(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        or UnicodeCategory.Surrogate or UnicodeCategory.OtherNotAssigned;
}
