using Init.Spec.Toml;

namespace Init.Spec;

/// <summary>Collects every problem of one spec file so that all are reported at once.</summary>
internal sealed class SpecErrors(string file)
{
    private readonly List<SpecError> errors = [];

    internal string File { get; } = file;
    internal bool Any => errors.Count > 0;

    internal void Add(Position at, string keyPath, string message) =>
        errors.Add(new SpecError(File, at.Line, at.Column, Printable(keyPath), Printable(message)));

    /// <summary>One error per line: control characters from the file (or a parser message) are shown escaped.</summary>
    private static string Printable(string text)
    {
        if (!text.Any(char.IsControl))
            return text;
        var printable = new System.Text.StringBuilder(text.Length + 8);
        foreach (char c in text)
            printable.Append(c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        return printable.ToString();
    }

    /// <summary>Reports every item whose key was already seen, naming where it was first.</summary>
    internal void RejectDuplicates<T, TKey>(IEnumerable<Located<T>> items, Func<T, TKey> keyOf) where TKey : notnull
    {
        var first = new Dictionary<TKey, string>();
        foreach (Located<T> item in items)
            if (!first.TryAdd(keyOf(item.Value), item.Path))
                Add(item.At, item.Path, $"duplicate of {first[keyOf(item.Value)]}");
    }

    /// <summary>Throws the collected errors, in file order, if there are any.</summary>
    internal void ThrowIfAny()
    {
        if (Any)
            throw new SpecException([.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)]);
    }
}
