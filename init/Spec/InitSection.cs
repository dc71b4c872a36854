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
            init.Errors.RejectDuplicates(remap);
        LogLevel? log = init.Choice("log", LogLevels);
        Dictionary<int, int>? rewrite = Rewrite(init);
        bool? pause = init.Bool("pause");
        init.RejectUnknownKeys();
        return new InitTableSettings(group, grace, remap is null ? null : NetworkSection.Values(remap), log) { Rewrite = rewrite, Pause = pause };
    }

    /// <summary>
    /// <c>rewrite = { TERM = "QUIT", USR1 = 0 }</c>: keys are signals (names or numbers), values a signal or 0 (drop),
    /// as a string or an integer. TERM and SIGTERM (or 15) are one signal: naming it twice is a duplicate.
    /// </summary>
    private static Dictionary<int, int>? Rewrite(TableReader init)
    {
        if (init.Table("rewrite") is not { } table)
            return null;
        var rewrite = new Dictionary<int, int>();
        var sources = new List<Located<int>>();
        foreach (Toml.TomlEntry entry in table.Entries)
        {
            string path = table.PathOf(entry.Key);
            string? fromError = SignalRewrite.ParseFrom(entry.Key, out int from);
            if (fromError is not null)
                init.Errors.Add(entry.KeyAt, path, fromError);
            else
                sources.Add(new Located<int>(from, entry.KeyAt, path));
            string? toText = entry.Value switch
            {
                Toml.TomlValueNode { Value: long number } => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Toml.TomlValueNode { Value: string name } => name,
                _ => null,
            };
            if (toText is null)
                init.Errors.Add(entry.Value.At, path, $"expected a signal (a name or a number, 0 to drop), got {entry.Value.TypeName}");
            else if (SignalRewrite.ParseTo(toText, out int to) is { } toError)
                init.Errors.Add(entry.Value.At, path, toError);
            else if (fromError is null)
                rewrite[from] = to;
        }
        init.Errors.RejectDuplicates(sources);
        return rewrite;
    }
}
