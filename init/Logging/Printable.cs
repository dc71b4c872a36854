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
    internal static string Join(IEnumerable<byte[]> arguments) => string.Join(' ', arguments.Select(argument => Of(argument)));

    /// <summary>
    /// <paramref name="text"/> without control characters: C0, DEL and C1 (a newline would forge a log line,
    /// ESC or CSI would drive the terminal) become \xNN or \u00NN.
    /// </summary>
    internal static string Escape(string text)
    {
        if (!NeedsEscape(text)) return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            if (c < 0x20 || c == 0x7f) escaped.Append($"\\x{(int)c:x2}");
            else if (c is >= '\u0080' and <= '\u009f') escaped.Append($"\\u{(int)c:x4}");
            else escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static bool NeedsEscape(string text)
    {
        foreach (char c in text)
            if (c < 0x20 || c is >= '\u007f' and <= '\u009f') return true;
        return false;
    }
}
