using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Init.Spec.Toml;

// Tomlyn's syntax tree keeps every node's source position but mirrors the text, not the data: a table may be
// spread over headers, dotted keys and inline tables. This folds it into plain tables, arrays and values that
// still know where they were written, so every validation error can point at its line and column.

/// <summary>A 1-based position in the spec file.</summary>
internal readonly record struct Position(int Line, int Column)
{
    internal static Position Of(SyntaxNode node) => new(node.Span.Start.Line + 1, node.Span.Start.Column + 1);
}

internal abstract class TomlNode(Position at)
{
    internal Position At { get; } = at;

    /// <summary>The TOML type's name as users know it, for "expected …, got …" messages.</summary>
    internal abstract string TypeName { get; }
}

internal sealed record TomlEntry(string Key, Position KeyAt, TomlNode Value);

internal sealed class TomlTableNode(Position at) : TomlNode(at)
{
    internal List<TomlEntry> Entries { get; } = [];
    internal override string TypeName => "a table";

    internal TomlEntry? Find(string key) => Entries.Find(entry => entry.Key == key);
}

internal sealed class TomlArrayNode(Position at) : TomlNode(at)
{
    internal List<TomlNode> Items { get; } = [];
    internal override string TypeName => "an array";
}

internal sealed class TomlValueNode(Position at, object value, string typeName) : TomlNode(at)
{
    /// <summary>A string, long, double, bool or TOML date-time.</summary>
    internal object Value { get; } = value;
    internal override string TypeName { get; } = typeName;

    /// <summary>The value as TOML would spell it, for hints.</summary>
    internal string Text => Value switch
    {
        bool boolean => boolean ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };
}

internal static class TomlTree
{
    /// <summary>
    /// Parses <paramref name="text"/>; on a syntax or TOML-semantics error (duplicate key, redefined table…)
    /// returns null and the problems in <paramref name="errors"/>, sorted by position.
    /// </summary>
    internal static TomlTableNode? Parse(string text, SpecErrors errors)
    {
        // The extra newline changes nothing a valid document means, and keeps an escape sequence away from
        // the end of the text: Tomlyn 2.10.2 throws ArgumentOutOfRangeException formatting its error for an
        // unfinished "\u00" at end of file (found by FuzzTests).
        DocumentSyntax document = SyntaxParser.Parse(text + "\n", errors.File, true);
        if (document.HasErrors)
        {
            foreach (DiagnosticMessage diagnostic in document.Diagnostics)
                if (diagnostic.Kind == DiagnosticMessageKind.Error)
                    errors.Add(new Position(diagnostic.Span.Start.Line + 1, diagnostic.Span.Start.Column + 1),
                        "toml", diagnostic.Message.Replace("\u2424", "\\n", StringComparison.Ordinal));
            return null;
        }
        var root = new TomlTableNode(new Position(1, 1));
        var builder = new Builder(errors);
        foreach (KeyValueSyntax keyValue in document.KeyValues)
            builder.Add(root, keyValue);
        foreach (TableSyntaxBase table in document.Tables)
            builder.AddTable(root, table);
        return errors.Any ? null : root;
    }

    /// <summary>
    /// Tomlyn has already rejected redefinitions; a conflict met here anyway is reported, never thrown,
    /// so that a Tomlyn corner case cannot crash PID 1.
    /// </summary>
    private sealed class Builder(SpecErrors errors)
    {
        internal void AddTable(TomlTableNode root, TableSyntaxBase syntax)
        {
            if (syntax.Name is null)
                return;
            List<(string Key, Position At)> path = KeyParts(syntax.Name);
            if (path.Count == 0)
                return;
            TomlTableNode? parent = Descend(root, path[..^1]);
            if (parent is null)
                return;
            (string key, Position keyAt) = path[^1];
            var table = new TomlTableNode(Position.Of(syntax));
            TomlEntry? existing = parent.Find(key);
            if (syntax is TableArraySyntax)
            {
                if (existing is null)
                {
                    var array = new TomlArrayNode(Position.Of(syntax));
                    parent.Entries.Add(new TomlEntry(key, keyAt, array));
                    array.Items.Add(table);
                }
                else if (existing.Value is TomlArrayNode array)
                    array.Items.Add(table);
                else
                {
                    Conflict(keyAt, key);
                    return;
                }
            }
            else if (existing is null)
                parent.Entries.Add(new TomlEntry(key, keyAt, table));
            else if (existing.Value is TomlTableNode implicitTable)
                table = implicitTable; // [a.b] after [a.b.c] made it implicitly
            else
            {
                Conflict(keyAt, key);
                return;
            }
            foreach (KeyValueSyntax keyValue in syntax.Items)
                Add(table, keyValue);
        }

        internal void Add(TomlTableNode table, KeyValueSyntax keyValue)
        {
            if (keyValue.Key is null || keyValue.Value is null)
                return;
            List<(string Key, Position At)> path = KeyParts(keyValue.Key);
            if (path.Count == 0)
                return;
            TomlTableNode? parent = Descend(table, path[..^1]);
            if (parent is null)
                return;
            (string key, Position keyAt) = path[^1];
            if (parent.Find(key) is not null)
            {
                Conflict(keyAt, key);
                return;
            }
            if (Convert(keyValue.Value) is { } value)
                parent.Entries.Add(new TomlEntry(key, keyAt, value));
        }

        /// <summary>Walks dotted keys, creating implicit tables; the last element of an array of tables counts.</summary>
        private TomlTableNode? Descend(TomlTableNode table, List<(string Key, Position At)> path)
        {
            foreach ((string key, Position at) in path)
            {
                TomlEntry? entry = table.Find(key);
                if (entry is null)
                {
                    var created = new TomlTableNode(at);
                    table.Entries.Add(new TomlEntry(key, at, created));
                    table = created;
                }
                else if (entry.Value is TomlTableNode existing)
                    table = existing;
                else if (entry.Value is TomlArrayNode { Items: [.., TomlTableNode last] })
                    table = last;
                else
                {
                    Conflict(at, key);
                    return null;
                }
            }
            return table;
        }

        private TomlNode? Convert(ValueSyntax value)
        {
            Position at = Position.Of(value);
            switch (value)
            {
                case StringValueSyntax text:
                    return new TomlValueNode(at, text.Value ?? "", "a string");
                case IntegerValueSyntax integer:
                    return new TomlValueNode(at, integer.Value, "an integer");
                case BooleanValueSyntax boolean:
                    return new TomlValueNode(at, boolean.Value, "a boolean");
                case FloatValueSyntax number:
                    return new TomlValueNode(at, number.Value, "a float");
                case DateTimeValueSyntax dateTime:
                    return new TomlValueNode(at, dateTime.Value, "a date-time");
                case ArraySyntax array:
                    var arrayNode = new TomlArrayNode(at);
                    foreach (ArrayItemSyntax item in array.Items)
                        if (item.Value is not null && Convert(item.Value) is { } converted)
                            arrayNode.Items.Add(converted);
                    return arrayNode;
                case InlineTableSyntax inline:
                    var tableNode = new TomlTableNode(at);
                    foreach (InlineTableItemSyntax item in inline.Items)
                        if (item.KeyValue is not null)
                            Add(tableNode, item.KeyValue);
                    return tableNode;
                default:
                    errors.Add(at, "toml", "unsupported value");
                    return null;
            }
        }

        private static List<(string Key, Position At)> KeyParts(KeySyntax key)
        {
            var parts = new List<(string, Position)>();
            AddPart(parts, key.Key);
            foreach (DottedKeyItemSyntax dotted in key.DotKeys)
                AddPart(parts, dotted.Key);
            return parts;
        }

        private static void AddPart(List<(string, Position)> parts, BareKeyOrStringValueSyntax? part)
        {
            switch (part)
            {
                case BareKeySyntax bare when bare.Key?.Text is { } text:
                    parts.Add((text, Position.Of(bare)));
                    break;
                case StringValueSyntax quoted:
                    parts.Add((quoted.Value ?? "", Position.Of(quoted)));
                    break;
            }
        }

        private void Conflict(Position at, string key) => errors.Add(at, key, "defined twice");
    }
}
