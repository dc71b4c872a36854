using System.Text;
using Init.Spec.Toml;

namespace Init.Spec;

/// <summary>
/// <c>${NAME}</c>, <c>${NAME:-default}</c> (the default when NAME is unset or empty, as the shell) and <c>$$</c>
/// (a literal '$') in the network section's strings, resolved from the init's environment before the value is
/// validated, so one image serves many containers. Single pass: a value's own '$' is never expanded again. A lone
/// '$', an unset variable without a default and a value that is not UTF-8 are errors at the string.
/// </summary>
internal sealed class EnvironmentSubstitution(Func<string, byte[]?> lookup)
{
    /// <summary>No network string needs more (a DNS name is 253); a cap keeps ${HUGE} × many strings bounded.</summary>
    internal const int MaxResolvedLength = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Variables of no environment: every ${NAME} needs its default.</summary>
    internal static EnvironmentSubstitution None { get; } = new(_ => null);

    /// <summary>The resolved text, or null with the problem reported at <paramref name="at"/>.</summary>
    internal string? Resolve(string text, Position at, string path, SpecErrors errors)
    {
        if (!text.Contains('$'))
            return text;
        var resolved = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            int dollar = text.IndexOf('$', i);
            if (dollar < 0)
            {
                resolved.Append(text, i, text.Length - i);
                break;
            }
            resolved.Append(text, i, dollar - i);
            if (Reference(text, dollar, out int end, out string? error) is not { } value)
            {
                errors.Add(at, path, error!);
                return null;
            }
            resolved.Append(value);
            if (resolved.Length > MaxResolvedLength)
            {
                errors.Add(at, path, $"longer than {MaxResolvedLength} characters once its variables are substituted");
                return null;
            }
            i = end;
        }
        return resolved.ToString();
    }

    /// <summary>What the reference at <paramref name="dollar"/> stands for; <paramref name="end"/> is just after it.</summary>
    private string? Reference(string text, int dollar, out int end, out string? error)
    {
        error = null;
        end = dollar + 2;
        if (dollar + 1 < text.Length && text[dollar + 1] == '$')
            return "$";
        int close = dollar + 1 < text.Length && text[dollar + 1] == '{' ? text.IndexOf('}', dollar + 2) : -1;
        if (close < 0)
        {
            error = $"{SpecErrors.Quote(text)}: a '$' starts ${{NAME}} or ${{NAME:-default}}; write $$ for a literal '$'";
            return null;
        }
        end = close + 1;
        string inner = text[(dollar + 2)..close];
        int separator = inner.IndexOf(":-", StringComparison.Ordinal);
        string name = separator < 0 ? inner : inner[..separator];
        string? fallback = separator < 0 ? null : inner[(separator + 2)..];
        if (!IsName(name))
        {
            error = $"{SpecErrors.Quote("${" + inner + "}")}: {SpecErrors.Quote(name)} is not a variable name (letters, digits and '_', not starting with a digit)";
            return null;
        }
        byte[]? bytes = lookup(name);
        if (bytes is null or { Length: 0 } && fallback is not null)
            return fallback;
        if (bytes is null)
        {
            error = $"${{{name}}} is not set in the init's environment and has no default (write ${{{name}:-…}})";
            return null;
        }
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            error = $"${{{name}}}: its value in the init's environment is not valid UTF-8";
            return null;
        }
    }

    private static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && TextRules.AllChars(name, c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
