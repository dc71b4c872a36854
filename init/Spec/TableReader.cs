using System.Diagnostics.CodeAnalysis;
using Init.Spec.Toml;

namespace Init.Spec;

/// <summary>A value read from the spec with where it was written, for errors found later in cross-checks.</summary>
/// <summary>
/// A value with where the spec wrote it. Not a record: nothing compares them, and a record's equality over a
/// shared generic instantiation makes NativeAOT link its runtime type loader and allocate a static base per
/// comparer at every start (docs/benchmarks.md, "Footprint").
/// </summary>
internal readonly struct Located<T>(T value, Position at, string path)
{
    internal T Value { get; init; } = value;
    internal Position At { get; } = at;
    internal string Path { get; } = path;

    internal void Deconstruct(out T value, out Position at) => (value, at) = (Value, At);
}

/// <summary>
/// Reads one TOML table of the spec: typed getters that report wrong types, and a final check that reports
/// every key nobody asked for (with a did-you-mean). A getter returns null when the key is absent or bad.
/// </summary>
internal sealed class TableReader(TomlTableNode table, string path, SpecErrors errors,
    EnvironmentSubstitution? substitution = null, HashSet<string>? knownKeys = null)
{
    private readonly HashSet<string> _known = knownKeys ?? [];

    internal string Path { get; } = path;
    internal Position At => table.At;
    internal SpecErrors Errors { get; } = errors;

    internal string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    internal void Error(string key, string message) => Errors.Add(At, PathOf(key), message);

    internal bool Has(string key) => table.Find(key) is not null;

    /// <summary>The raw node of <paramref name="key"/>; every key read through here counts as known.</summary>
    internal TomlNode? Node(string key)
    {
        _known.Add(key);
        return table.Find(key)?.Value;
    }

    internal Located<string>? String(string key) => Node(key) is { } node ? AsString(node, PathOf(key)) : null;

    internal bool? Bool(string key) =>
        Node(key) is { } node && TryScalar(node, PathOf(key), "a boolean", out bool value) ? value : null;

    internal long? Integer(string key, long min, long max) =>
        Node(key) is { } node ? AsInteger(node, PathOf(key), min, max) : null;

    /// <summary>One of <paramref name="choices"/>, spelt exactly; otherwise an error with a did-you-mean.</summary>
    internal T? Choice<T>(string key, IReadOnlyDictionary<string, T> choices) where T : struct =>
        String(key) is { } text ? AsChoice(text, choices, Errors) : null;

    internal Located<TimeSpan>? Duration(string key)
    {
        if (String(key) is not { } text)
            return null;
        if (Spec.Duration.TryParse(text.Value, out TimeSpan value))
            return new Located<TimeSpan>(value, text.At, text.Path);
        Errors.Add(text.At, text.Path, $"{SpecErrors.Quote(text.Value)} is not a duration (a whole number with ms, s or m: \"250ms\", \"5s\", \"1m\")");
        return null;
    }

    /// <summary>An array; each item is handed to <paramref name="read"/> with its own path; null items are dropped.</summary>
    internal List<T>? Array<T>(string key, Func<TomlNode, string, T?> read) where T : struct
    {
        if (Items(key) is not { } items)
            return null;
        List<T> values = new(items.Count);
        for (int i = 0; i < items.Count; i++)
            if (read(items[i], ItemPath(key, i)) is { } value)
                values.Add(value);
        return values;
    }

    internal List<Located<string>>? Strings(string key) => Array(key, (node, itemPath) => AsString(node, itemPath));

    internal TableReader? Table(string key) => Node(key) is { } node ? AsTable(node, PathOf(key)) : null;

    /// <summary>An array of tables (<c>[[key]]</c> or an array of inline tables).</summary>
    internal List<TableReader>? Tables(string key)
    {
        if (table.Find(key)?.Value is TomlTableNode single)
        {
            _known.Add(key);
            Errors.Add(single.At, PathOf(key), $"expected an array of tables, got a table: write [[{HeaderName(PathOf(key))}]]");
            return null;
        }
        if (Items(key) is not { } items)
            return null;
        List<TableReader> tables = new(items.Count);
        for (int i = 0; i < items.Count; i++)
            if (AsTable(items[i], ItemPath(key, i)) is { } item)
                tables.Add(item);
        return tables;
    }

    /// <summary>"interface[0].route" → "interface.route", as a TOML header names it.</summary>
    private static string HeaderName(string path)
    {
        var name = new System.Text.StringBuilder(path.Length);
        bool inIndex = false;
        foreach (char c in path)
        {
            inIndex = c == '[' || (inIndex && c != ']');
            if (!inIndex && c != ']')
                name.Append(c);
        }
        return name.ToString();
    }

    /// <summary>The items of the array <paramref name="key"/>; null (reported) when it is something else.</summary>
    private List<TomlNode>? Items(string key)
    {
        if (Node(key) is not { } node)
            return null;
        if (node is TomlArrayNode array)
            return array.Items;
        WrongType(node, PathOf(key), "an array");
        return null;
    }

    private string ItemPath(string key, int index) => $"{PathOf(key)}[{index}]";

    /// <summary>Reports the keys of this table that no getter asked for.</summary>
    internal void RejectUnknownKeys()
    {
        foreach (TomlEntry entry in table.Entries)
            if (!_known.Contains(entry.Key))
                Errors.Add(entry.KeyAt, PathOf(entry.Key), "unknown key" + DidYouMean.Hint(entry.Key, _known));
    }

    /// <summary>The keys of this table, for tables whose keys are data (<c>[workload].env</c>).</summary>
    internal IEnumerable<TomlEntry> Entries => table.Entries;

    /// <summary>The value if <paramref name="rule"/> accepts it (rule returns null), else null with the error reported.</summary>
    internal string? Checked(Located<string>? text, Func<string, string?> rule)
    {
        if (text is not { } value)
            return null;
        if (rule(value.Value) is not { } error)
            return value.Value;
        Errors.Add(value.At, value.Path, error);
        return null;
    }

    /// <summary>The items <paramref name="rule"/> accepts; the others are reported.</summary>
    internal List<Located<string>> Valid(List<Located<string>>? items, Func<string, string?> rule)
    {
        List<Located<string>> valid = [];
        foreach (Located<string> item in items ?? [])
            if (Checked(item, rule) is not null)
                valid.Add(item);
        return valid;
    }

    /// <summary>An address an interface (or lo) can carry, see <see cref="TextRules.InterfaceCidr"/>.</summary>
    internal Located<Cidr>? InterfaceCidr(Located<string>? text)
    {
        if (text is not { } value)
            return null;
        if (TextRules.InterfaceCidr(value.Value, out Cidr cidr) is not { } error)
            return new Located<Cidr>(cidr, value.At, value.Path);
        Errors.Add(value.At, value.Path, error);
        return null;
    }

    /// <summary>
    /// This table with <c>${VAR}</c> resolved in its strings and its sub-tables' (the network keys); a key read
    /// through the view counts as read here too.
    /// </summary>
    internal TableReader Substituting(EnvironmentSubstitution variables) => new(table, Path, Errors, variables, _known);

    internal Located<string>? AsString(TomlNode node, string itemPath)
    {
        if (!TryScalar(node, itemPath, "a string", out string? text))
            return null;
        string? value = substitution is null ? text : substitution.Resolve(text, node.At, itemPath, Errors);
        return value is null ? null : new Located<string>(value, node.At, itemPath);
    }

    internal long? AsInteger(TomlNode node, string itemPath, long min, long max)
    {
        if (!TryScalar(node, itemPath, "an integer", out long value))
            return null;
        if (value >= min && value <= max)
            return value;
        Errors.Add(node.At, itemPath, $"{value} is out of range {min}..{max}");
        return null;
    }

    internal TableReader? AsTable(TomlNode node, string itemPath)
    {
        if (node is TomlTableNode child)
            return new TableReader(child, itemPath, Errors, substitution);
        WrongType(node, itemPath, "a table");
        return null;
    }

    internal static T? AsChoice<T>(Located<string> text, IReadOnlyDictionary<string, T> choices, SpecErrors errors)
        where T : struct
    {
        if (choices.TryGetValue(text.Value, out T value))
            return value;
        string expected = "\"" + string.Join("\", \"", choices.Keys) + "\"";
        errors.Add(text.At, text.Path, $"{SpecErrors.Quote(text.Value)} is not one of {expected}" + DidYouMean.Hint(text.Value, choices.Keys));
        return null;
    }

    private bool TryScalar<T>(TomlNode node, string itemPath, string expected, [NotNullWhen(true)] out T? value)
    {
        if (node is TomlValueNode { Value: T typed })
        {
            value = typed;
            return true;
        }
        WrongType(node, itemPath, expected);
        value = default;
        return false;
    }

    private void WrongType(TomlNode node, string itemPath, string expected) =>
        Errors.Add(node.At, itemPath, $"expected {expected}, got {node.TypeName}");
}
