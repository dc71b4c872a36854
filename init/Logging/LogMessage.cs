using System.Runtime.CompilerServices;

namespace Init.Logging;

/// <summary>The level a <see cref="LogMessage{TLevel}"/> is written at, as a type.</summary>
internal interface ILogLevel
{
    static abstract LogLevel Level { get; }
}

internal readonly struct AtInfo : ILogLevel
{
    public static LogLevel Level => LogLevel.Info;
}

internal readonly struct AtDebug : ILogLevel
{
    public static LogLevel Level => LogLevel.Debug;
}

/// <summary>
/// An interpolated message for <see cref="Log.Info(ref LogMessage{AtInfo})"/> or <see cref="Log.Debug(ref LogMessage{AtDebug})"/>,
/// formatted only when its level is shown: at the default level the init's per-child and per-signal lines cost
/// nothing. (Nested formatting is not free: the second char buffer returned to the shared pool makes .NET
/// calibrate its processor-id cache, ~35K instructions, at the init's first reaped child.)
/// </summary>
[InterpolatedStringHandler]
internal ref struct LogMessage<TLevel>
    where TLevel : ILogLevel
{
    private DefaultInterpolatedStringHandler _text;

    public LogMessage(int literalLength, int formattedCount, out bool shown)
    {
        shown = Log.Shows(TLevel.Level);
        _text = shown ? new DefaultInterpolatedStringHandler(literalLength, formattedCount) : default;
    }

    public void AppendLiteral(string value) => _text.AppendLiteral(value);

    public void AppendFormatted<T>(T value) => _text.AppendFormatted(value);

    public void AppendFormatted<T>(T value, string? format) => _text.AppendFormatted(value, format);

    internal string ToStringAndClear() => _text.ToStringAndClear();
}
