namespace Init.Spec;

/// <summary>Reads <c>[workload]</c>: the command, its environment, directory, user and privileges.</summary>
internal static class WorkloadSection
{
    internal static WorkloadSpec Read(TableReader root)
    {
        if (root.Table("workload") is not { } workload)
            return WorkloadSpec.Default;
        List<string>? command = Command(workload);
        Dictionary<string, string> env = Environment(workload);
        string? workdir = workload.Checked(workload.String("workdir"), Workdir);
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
        return NetworkSection.Values(command);
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

    private static string? Workdir(string dir) =>
        dir.StartsWith('/') ? TextRules.NoNul(dir) : $"{SpecErrors.Quote(dir)} is not an absolute path";

    private static bool IsAll(Located<string> capability) => capability.Value == Capabilities.All;

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
                    + DidYouMean.Hint(item.Value, [.. Capabilities.Names, Capabilities.All]));
        }
        workload.Errors.RejectDuplicates(names);
        int all = names.FindIndex(IsAll);
        if (all >= 0 && names.Count > 1)
            workload.Errors.Add(names[all].At, names[all].Path, "\"ALL\" already drops every capability: list it alone");
        return NetworkSection.Values(names);
    }
}
