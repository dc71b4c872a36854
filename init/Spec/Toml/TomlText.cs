using System.Buffers;
using System.Text;

namespace Init.Spec.Toml;

/// <summary>
/// A TOML file is UTF-8 (TOML 1.0: "a valid UTF-8 encoded Unicode document"). The bytes are checked here, so
/// that a wrong encoding is named as such at the offending byte instead of surfacing as a parser error.
/// </summary>
internal static class TomlText
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>The text of <paramref name="bytes"/>, or null with the first encoding problem reported.</summary>
    internal static string? Decode(byte[] bytes, SpecErrors errors)
    {
        ReadOnlySpan<byte> text = bytes;
        if (Utf16Bom(text) is { } bom)
        {
            errors.Add(new Position(1, 1), "toml", $"UTF-16 text (byte order mark {bom}): a spec is UTF-8");
            return null;
        }
        // The UTF-8 signature is allowed: it is valid UTF-8 (toml-lang/toml#437), and invisible in an editor.
        int start = text.StartsWith(Utf8Bom) ? Utf8Bom.Length : 0;
        text = text[start..];
        int line = 1, column = 1;
        while (!text.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(text, out Rune rune, out int length) != OperationStatus.Done)
            {
                errors.Add(new Position(line, column), "toml", $"invalid UTF-8 (byte 0x{text[0]:X2}): a spec is UTF-8 text");
                return null;
            }
            if (rune.Value == 0)
            {
                errors.Add(new Position(line, column), "toml", "NUL byte: a spec is UTF-8 text");
                return null;
            }
            (line, column) = rune.Value == '\n' ? (line + 1, 1) : (line, column + rune.Utf16SequenceLength);
            text = text[length..];
        }
        return Encoding.UTF8.GetString(bytes, start, bytes.Length - start);
    }

    private static string? Utf16Bom(ReadOnlySpan<byte> text) =>
        text.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) ? "FF FE"
        : text.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) ? "FE FF"
        : null;

    /// <summary>The position of the last character that is not a line break (1:1 for an empty text).</summary>
    internal static Position LastPosition(string text)
    {
        int last = text.AsSpan().TrimEnd("\r\n").Length - 1;
        if (last < 0)
            return new Position(1, 1);
        int lineStart = text.LastIndexOf('\n', last) + 1;
        return new Position(text.AsSpan(0, lineStart).Count('\n') + 1, last - lineStart + 1);
    }
}
