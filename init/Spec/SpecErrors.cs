using Init.Spec.Toml;

namespace Init.Spec;

/// <summary>Collects every problem of one spec file so that all are reported at once.</summary>
internal sealed class SpecErrors(string file)
{
    private readonly List<SpecError> errors = [];

    internal string File { get; } = file;
    internal bool Any => errors.Count > 0;

    internal void Add(Position at, string keyPath, string message) =>
        errors.Add(new SpecError(File, at.Line, at.Column, keyPath, message));

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
