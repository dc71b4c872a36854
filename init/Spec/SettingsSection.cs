using Init.Logging;
using Init.Supervisor;

namespace Init.Spec;

/// <summary>Reads <c>[init]</c> and <c>[workload]</c>.</summary>
internal static class SettingsSection
{
    private static readonly Dictionary<string, LogLevel> LogLevels = new()
    {
        ["error"] = LogLevel.Error,
        ["warn"] = LogLevel.Warn,
        ["info"] = LogLevel.Info,
        ["debug"] = LogLevel.Debug,
    };

    internal static InitSettings Init(TableReader root)
    {
        if (root.Table("init") is not { } init)
            return InitSettings.Unset;
        bool? group = init.Bool("group");
        TimeSpan? grace = init.Duration("grace")?.Value;
        // Remapping a code twice is harmless but says the author meant another code: refused like any duplicate.
        List<Located<int>>? remap = init.Array("remap_exit", (node, path) =>
            init.AsInteger(node, path, 0, 255) is { } code ? new Located<int>((int)code, node.At, path) : (Located<int>?)null);
        if (remap is not null)
            init.Errors.RejectDuplicates(remap, code => code);
        LogLevel? log = init.Choice("log", LogLevels);
        Dictionary<int, int>? rewrite = Rewrite(init);
        bool? pause = init.Bool("pause");
        init.RejectUnknownKeys();
        return new InitSettings(group, grace, remap?.Select(code => code.Value).ToList(), log) { Rewrite = rewrite, Pause = pause };
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
        init.Errors.RejectDuplicates(sources, signal => signal);
        return rewrite;
    }

    internal static WorkloadSpec Workload(TableReader root)
    {
        if (root.Table("workload") is not { } workload)
            return WorkloadSpec.Default;
        List<string>? command = Command(workload);
        Dictionary<string, string> env = Environment(workload);
        string? workdir = workload.Checked(workload.String("workdir"),
            dir => dir.StartsWith('/') ? TextRules.NoNul(dir) : $"{SpecErrors.Quote(dir)} is not an absolute path");
        string? user = workload.Checked(workload.String("user"), TextRules.User);
        IReadOnlyList<string> drop = DropCapabilities(workload) ?? WorkloadSpec.Default.DropCapabilities;
        bool noNewPrivileges = workload.Bool("no_new_privileges") ?? false;
        workload.RejectUnknownKeys();
        return new WorkloadSpec(command, env, workdir, user, drop, noNewPrivileges);
    }

    private static List<string>? Command(TableReader workload)
    {
        if (workload.Strings("command") is not { } command)
            return null;
        if (workload.Node("command") is Toml.TomlArrayNode { Items.Count: 0 } empty)
            workload.Errors.Add(empty.At, workload.PathOf("command"), "must not be empty: give the program to run");
        foreach (Located<string> argument in command)
            if (TextRules.NoNul(argument.Value) is { } error)
                workload.Errors.Add(argument.At, argument.Path, error);
        if (command is [{ Value: "" } program, ..])
            workload.Errors.Add(program.At, program.Path, "the program must not be empty");
        return [.. command.Select(argument => argument.Value)];
    }

    private static Dictionary<string, string> Environment(TableReader workload)
    {
        var env = new Dictionary<string, string>();
        if (workload.Table("env") is not { } table)
            return env;
        foreach (Toml.TomlEntry entry in table.Entries)
        {
            string path = table.PathOf(entry.Key);
            if (TextRules.EnvironmentName(entry.Key) is { } nameError)
                workload.Errors.Add(entry.KeyAt, path, nameError);
            if (entry.Value is Toml.TomlValueNode { Value: long or double or bool } scalar)
                workload.Errors.Add(scalar.At, path, $"expected a string, got {scalar.TypeName} (quote it: {SpecErrors.Quote(scalar.Text)})");
            else if (table.AsString(entry.Value, path) is { } value)
            {
                if (TextRules.NoNul(value.Value) is { } error)
                    workload.Errors.Add(value.At, path, error);
                env[entry.Key] = value.Value;
            }
        }
        return env;
    }

    private static List<string>? DropCapabilities(TableReader workload)
    {
        if (workload.Strings("drop_capabilities") is not { } items)
            return null;
        var names = new List<Located<string>>();
        foreach (Located<string> item in items)
        {
            if (Capabilities.Canonical(item.Value) is { } name)
                names.Add(item with { Value = name });
            else
                workload.Errors.Add(item.At, item.Path, $"{SpecErrors.Quote(item.Value)} is not a capability"
                    + DidYouMean.Hint(item.Value, Capabilities.Names.Append(Capabilities.All)));
        }
        workload.Errors.RejectDuplicates(names, name => name);
        int all = names.FindIndex(name => name.Value == Capabilities.All);
        if (all >= 0 && names.Count > 1)
            workload.Errors.Add(names[all].At, names[all].Path, "\"ALL\" already drops every capability: list it alone");
        return [.. names.Select(name => name.Value)];
    }
}
