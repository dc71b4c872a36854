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

/// <summary>How a table came to be; TOML allows each to be extended in different ways.</summary>
internal enum TableOrigin
{
    /// <summary>The document itself.</summary>
    Root,
    /// <summary>A parent on a header's path (<c>a</c> of <c>[a.b]</c>): a later <c>[a]</c> may still define it.</summary>
    Implicit,
    /// <summary>Defined by its own <c>[header]</c> or as an element of <c>[[header]]</c>.</summary>
    Header,
    /// <summary>Created by a dotted key (<c>a.b = 1</c>): more dotted keys may add to it, a header may not define it.</summary>
    Dotted,
    /// <summary>An inline table: closed once written.</summary>
    Inline,
}

internal sealed class TomlTableNode(Position at, TableOrigin origin) : TomlNode(at)
{
    // Keys are looked up once per getter and once per TOML line: a dictionary keeps 20,000 env keys linear.
    // It maps a key to its index in Entries: a Dictionary<string, TomlEntry> would be one more generic
    // instantiation over reference types, with a static base allocated at every start.
    private readonly Dictionary<string, int> _indexByKey = new(StringComparer.Ordinal);

    internal TableOrigin Origin { get; set; } = origin;

    /// <summary>Where it was defined, for "already defined at": its header when a header defined it later.</summary>
    internal Position DefinedAt { get; set; } = at;
    internal List<TomlEntry> Entries { get; } = [];
    internal override string TypeName => "a table";

    internal TomlEntry? Find(string key) => _indexByKey.TryGetValue(key, out int index) ? Entries[index] : null;

    internal void Add(TomlEntry entry)
    {
        _indexByKey.Add(entry.Key, Entries.Count);
        Entries.Add(entry);
    }
}

internal sealed class TomlArrayNode(Position at, bool ofTables) : TomlNode(at)
{
    /// <summary>Made by <c>[[header]]</c>s, which may append to it; an array value is closed once written.</summary>
    internal bool OfTables { get; } = ofTables;

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
    /// Parses the file's <paramref name="bytes"/>; on an encoding, syntax or TOML-semantics error (duplicate
    /// key, redefined table…) returns null and the problems in <paramref name="errors"/>.
    /// </summary>
    internal static TomlTableNode? Parse(byte[] bytes, SpecErrors errors)
    {
        if (TomlText.Decode(bytes, errors) is not { } text)
            return null;
        // The extra newline changes nothing a valid document means, and keeps an escape sequence away from
        // the end of the text: Tomlyn 2.10.2 throws ArgumentOutOfRangeException formatting its error for an
        // unfinished "\u00" at end of file (found by FuzzTests). No Tomlyn validation: its duplicate check
        // compares keys by a 32-bit hash over a path whose items later keys overwrite (ObjectPath.Clone is a
        // MemberwiseClone of a List), so two keys with colliding string hashes were "already defined" by
        // luck of the per-process hash seed. The Builder checks what TOML forbids itself.
        DocumentSyntax document = SyntaxParser.Parse(text + "\n", errors.File, validate: false);
        if (document.HasErrors)
        {
            Position end = TomlText.LastPosition(text);
            foreach (DiagnosticMessage diagnostic in document.Diagnostics)
                if (diagnostic.Kind == DiagnosticMessageKind.Error)
                    errors.Add(At(diagnostic, text.Length, end), "toml", diagnostic.Message.Replace("\u2424", "\\n", StringComparison.Ordinal));
            return null;
        }
        var root = new TomlTableNode(new Position(1, 1), TableOrigin.Root);
        var builder = new Builder(errors);
        foreach (KeyValueSyntax keyValue in document.KeyValues)
            builder.Add(root, "", keyValue);
        foreach (TableSyntaxBase table in document.Tables)
            builder.AddTable(root, table);
        return errors.Any ? null : root;
    }

    /// <summary>
    /// Where a diagnostic is, inside the file: Tomlyn places errors at the end of input on the line after the
    /// last (our added newline) or, for an unclosed array, at 1:1; both mean the file ended, so they point
    /// at its last character.
    /// </summary>
    private static Position At(DiagnosticMessage diagnostic, int textLength, Position end) =>
        diagnostic.Span.Start.Offset >= textLength || diagnostic.Message.Contains("`<eof>`", StringComparison.Ordinal)
            ? end
            : new Position(diagnostic.Span.Start.Line + 1, diagnostic.Span.Start.Column + 1);

    /// <summary>
    /// Folds the syntax tree into tables, enforcing TOML's rules on defining a key or table twice: a
    /// [header] defines a table once (an implicit parent of an earlier header may still be defined), dotted
    /// keys extend only tables that dotted keys made, inline tables and array values are closed, and
    /// [[header]] appends only to arrays that [[header]]s made.
    /// </summary>
    private sealed class Builder(SpecErrors errors)
    {
        internal void AddTable(TomlTableNode root, TableSyntaxBase syntax)
        {
            if (syntax.Name is null)
                return;
            List<Located<string>> path = KeyParts(syntax.Name, "");
            if (path.Count == 0)
                return;
            string name = path[^1].Path;
            TomlTableNode? parent = DescendHeader(root, path[..^1], name);
            if (parent is null)
                return;
            (string key, Position keyAt) = path[^1];
            TomlEntry? existing = parent.Find(key);
            TomlTableNode table;
            if (syntax is TableArraySyntax)
            {
                table = new TomlTableNode(Position.Of(syntax), TableOrigin.Header);
                if (existing is null)
                    parent.Add(new TomlEntry(key, keyAt, new TomlArrayNode(Position.Of(syntax), ofTables: true) { Items = { table } }));
                else if (existing.Value is TomlArrayNode { OfTables: true } array)
                    array.Items.Add(table);
                else
                {
                    Conflict(keyAt, name, existing);
                    return;
                }
            }
            else if (existing is null)
                parent.Add(new TomlEntry(key, keyAt, table = new TomlTableNode(Position.Of(syntax), TableOrigin.Header) { DefinedAt = keyAt }));
            else if (existing.Value is TomlTableNode { Origin: TableOrigin.Implicit } implicitTable)
            {
                table = implicitTable; // [a.b] after [a.b.c] made it implicitly
                table.Origin = TableOrigin.Header;
                table.DefinedAt = keyAt;
            }
            else
            {
                Conflict(keyAt, name, existing);
                return;
            }
            foreach (KeyValueSyntax keyValue in syntax.Items)
                Add(table, name, keyValue);
        }

        internal void Add(TomlTableNode table, string tablePath, KeyValueSyntax keyValue)
        {
            if (keyValue.Key is null || keyValue.Value is null)
                return;
            List<Located<string>> path = KeyParts(keyValue.Key, tablePath);
            if (path.Count == 0)
                return;
            string name = path[^1].Path;
            TomlTableNode? parent = DescendDotted(table, path[..^1], name);
            if (parent is null)
                return;
            (string key, Position keyAt) = path[^1];
            if (parent.Find(key) is { } existing)
            {
                Conflict(keyAt, name, existing);
                return;
            }
            if (Convert(keyValue.Value, name) is { } value)
                parent.Add(new TomlEntry(key, keyAt, value));
        }

        /// <summary>A header's parents: made implicitly, or any table but an inline one; of an array of tables, the last.</summary>
        private TomlTableNode? DescendHeader(TomlTableNode table, List<Located<string>> path, string name)
        {
            foreach ((string key, Position at) in path)
            {
                TomlEntry? entry = table.Find(key);
                if (entry is null)
                {
                    var created = new TomlTableNode(at, TableOrigin.Implicit);
                    table.Add(new TomlEntry(key, at, created));
                    table = created;
                }
                else if (entry.Value is TomlTableNode { Origin: not TableOrigin.Inline } existing)
                    table = existing;
                else if (entry.Value is TomlArrayNode { OfTables: true, Items: [.., TomlTableNode last] })
                    table = last;
                else
                {
                    Conflict(at, name, entry);
                    return null;
                }
            }
            return table;
        }

        /// <summary>A dotted key's parents: made by dotted keys of this same table.</summary>
        private TomlTableNode? DescendDotted(TomlTableNode table, List<Located<string>> path, string name)
        {
            foreach ((string key, Position at) in path)
            {
                TomlEntry? entry = table.Find(key);
                if (entry is null)
                {
                    var created = new TomlTableNode(at, TableOrigin.Dotted);
                    table.Add(new TomlEntry(key, at, created));
                    table = created;
                }
                else if (entry.Value is TomlTableNode { Origin: TableOrigin.Dotted } existing)
                    table = existing;
                else
                {
                    Conflict(at, name, entry);
                    return null;
                }
            }
            return table;
        }

        private TomlNode? Convert(ValueSyntax value, string path)
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
                    var arrayNode = new TomlArrayNode(at, ofTables: false);
                    foreach (ArrayItemSyntax item in array.Items)
                        if (item.Value is not null && Convert(item.Value, $"{path}[{arrayNode.Items.Count}]") is { } converted)
                            arrayNode.Items.Add(converted);
                    return arrayNode;
                case InlineTableSyntax inline:
                    // Built open so that its own dotted keys can fill it, then closed.
                    var tableNode = new TomlTableNode(at, TableOrigin.Dotted);
                    foreach (InlineTableItemSyntax item in inline.Items)
                        if (item.KeyValue is not null)
                            Add(tableNode, path, item.KeyValue);
                    Close(tableNode);
                    return tableNode;
                default:
                    errors.Add(at, "toml", "unsupported value");
                    return null;
            }
        }

        /// <summary>An inline table and the tables its dotted keys made are complete as written.</summary>
        private static void Close(TomlTableNode table)
        {
            table.Origin = TableOrigin.Inline;
            foreach (TomlEntry entry in table.Entries)
                if (entry.Value is TomlTableNode { Origin: TableOrigin.Dotted } child)
                    Close(child);
        }

        /// <summary>The parts of a dotted key, each with its position and its dotted path from <paramref name="prefix"/>.</summary>
        private static List<Located<string>> KeyParts(KeySyntax key, string prefix)
        {
            var parts = new List<Located<string>>();
            AddPart(parts, key.Key, prefix);
            foreach (DottedKeyItemSyntax dotted in key.DotKeys)
                AddPart(parts, dotted.Key, prefix);
            return parts;
        }

        private static void AddPart(List<Located<string>> parts, BareKeyOrStringValueSyntax? part, string prefix)
        {
            switch (part)
            {
                case BareKeySyntax bare when bare.Key?.Text is { } text:
                    parts.Add(new Located<string>(text, Position.Of(bare), PathTo(parts, prefix, text)));
                    break;
                case StringValueSyntax quoted:
                    parts.Add(new Located<string>(quoted.Value ?? "", Position.Of(quoted), PathTo(parts, prefix, quoted.Value ?? "")));
                    break;
            }
        }

        /// <summary>The dotted path of the next part: the previous part's, or <paramref name="prefix"/> for the first (none at the root).</summary>
        private static string PathTo(List<Located<string>> parts, string prefix, string key) =>
            parts.Count > 0 ? $"{parts[^1].Path}.{key}" : prefix.Length == 0 ? key : $"{prefix}.{key}";

        private void Conflict(Position at, string path, TomlEntry existing)
        {
            Position first = existing.Value is TomlTableNode table ? table.DefinedAt : existing.KeyAt;
            errors.Add(at, path, $"already defined at {first.Line}:{first.Column}");
        }
    }
}
