using Init.Logging;
using Init.Spec;

namespace Init.Cli;

/// <summary>
/// The effective settings: command line, then the environment (INIT_*), then the spec's <c>[init]</c> table,
/// then the built-in defaults — the first that says something wins.
/// </summary>
internal sealed record EffectiveSettings(bool Group, TimeSpan Grace, IReadOnlySet<int> RemapExit, LogLevel LogLevel)
{
    /// <summary>
    /// FROM → TO for forwarded signals. The command line's entries go over the spec's one signal at a time (dumb-init's
    /// model: each -r is an override of one signal, not a new table), so `-r TERM:TERM` undoes one spec entry.
    /// </summary>
    internal IReadOnlyDictionary<int, int> Rewrite { get; init; } = SignalRewrite.None;

    /// <summary>Pause mode: no workload, the init holds the namespaces and reaps until TERM or INT.</summary>
    internal bool Pause { get; init; }

    internal static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(3);

    /// <summary>The spec to load, as bytes like every path the init is given, and whether it was named (a named file must exist).</summary>
    internal static (byte[] Path, bool Named) SpecPath(Options options, Func<string, byte[]?> environment) =>
        (options.SpecPath ?? environment("INIT_SPEC")) is { Length: > 0 } path
            ? (path, true)
            : (System.Text.Encoding.UTF8.GetBytes(SpecLoader.DefaultPath), false);

    /// <summary>The log level from the command line and environment alone, before the spec is read.</summary>
    internal static LogLevel? LogLevelFromCommandLine(Options options, Func<string, string?> environment) =>
        options.Quiet ? LogLevel.Error
        : options.Verbosity > 0 ? (LogLevel)Math.Min((int)LogLevel.Warn + options.Verbosity, (int)LogLevel.Debug)
        : NonEmpty(environment("INIT_LOG")) is string level ? ParseLogLevel("INIT_LOG", level)
        : null;

    internal static EffectiveSettings Resolve(Options options, Func<string, string?> environment, InitTableSettings spec) => new(
        Group: options.Group ?? ParseFlag("INIT_GROUP", environment("INIT_GROUP")) ?? spec.Group ?? false,
        Grace: options.Grace
            ?? (NonEmpty(environment("INIT_GRACE")) is string grace ? CommandLine.ParseDuration("INIT_GRACE", grace) : (TimeSpan?)null)
            ?? spec.Grace ?? DefaultGrace,
        RemapExit: new HashSet<int>(options.RemapExit.Count > 0 ? options.RemapExit : spec.RemapExit ?? []),
        LogLevel: LogLevelFromCommandLine(options, environment) ?? spec.Log ?? LogLevel.Warn)
    {
        Rewrite = MergeRewrite(spec.Rewrite, options.Rewrite),
        Pause = options.Pause ?? ParseFlag("INIT_PAUSE", environment("INIT_PAUSE")) ?? spec.Pause ?? false,
    };

    private static IReadOnlyDictionary<int, int> MergeRewrite(IReadOnlyDictionary<int, int>? spec, Dictionary<int, int> commandLine)
    {
        if ((spec?.Count ?? 0) + commandLine.Count == 0)
            return SignalRewrite.None;
        var merged = new Dictionary<int, int>(spec ?? SignalRewrite.None);
        foreach ((int from, int to) in commandLine)
            merged[from] = to;
        return merged;
    }

    /// <summary>The status the init exits with: the workload's, or 0 when it is one of <see cref="RemapExit"/>.</summary>
    internal int ExitCodeFor(int workloadExitCode) => RemapExit.Contains(workloadExitCode) ? 0 : workloadExitCode;

    private static bool? ParseFlag(string name, string? value) => NonEmpty(value) switch
    {
        null => null,
        "1" or "true" or "yes" => true,
        "0" or "false" or "no" => false,
        var other => throw new UsageException($"{name}: invalid value '{other}' (expected 1 or 0)"),
    };

    private static LogLevel ParseLogLevel(string name, string value) => value switch
    {
        "error" => LogLevel.Error,
        "warn" => LogLevel.Warn,
        "info" => LogLevel.Info,
        "debug" => LogLevel.Debug,
        _ => throw new UsageException($"{name}: invalid value '{value}' (expected error, warn, info or debug)"),
    };

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
