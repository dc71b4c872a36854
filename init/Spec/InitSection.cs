using Init.Logging;

namespace Init.Spec;

/// <summary>Reads <c>[init]</c>: the supervisor's settings as the spec gives them.</summary>
internal static class InitSection
{
    private static readonly Dictionary<string, LogLevel> LogLevels = new()
    {
        ["error"] = LogLevel.Error,
        ["warn"] = LogLevel.Warn,
        ["info"] = LogLevel.Info,
        ["debug"] = LogLevel.Debug,
    };

    internal static InitTableSettings Read(TableReader root)
    {
        if (root.Table("init") is not { } init)
            return InitTableSettings.Unset;
        bool? group = init.Bool("group");
        TimeSpan? grace = init.Duration("grace")?.Value;
        // Remapping a code twice is harmless but says the author meant another code: refused like any duplicate.
        List<Located<int>>? remap = init.Array("remap_exit", (node, path) =>
            init.AsInteger(node, path, 0, 255) is { } code ? new Located<int>((int)code, node.At, path) : (Located<int>?)null);
        if (remap is not null)
            init.Errors.RejectDuplicates(remap, code => code);
        LogLevel? log = init.Choice("log", LogLevels);
        init.RejectUnknownKeys();
        return new InitTableSettings(group, grace, remap?.Select(code => code.Value).ToList(), log);
    }
}
