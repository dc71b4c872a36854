using Init.Logging;
using Init.Spec.Toml;

namespace Init.Spec;

/// <summary>
/// Collects every problem of one spec file so that all are reported at once, up to <see cref="MaxReported"/>:
/// a file of garbage has an error per byte, and PID 1 neither prints nor keeps half a million of them.
/// </summary>
internal sealed class SpecErrors(string file)
{
    /// <summary>Enough to fix a file in one round; the rest are counted.</summary>
    internal const int MaxReported = 20;

    /// <summary>The most characters of one input value (key, string) a message echoes.</summary>
    internal const int MaxEchoed = 64;

    private const int MaxKeyPath = 160;
    private const int MaxMessage = 400;

    // The first MaxReported errors by position (ties in the order found), as a max-heap: the root is the
    // one to drop when an earlier error comes along.
    private readonly PriorityQueue<SpecError, (int Line, int Column, int Found)> _first =
        new(Comparer<(int, int, int)>.Create((a, b) => b.CompareTo(a)));
    private int _count;

    internal string File { get; } = file;
    internal bool Any => _count > 0;

    internal void Add(Position at, string keyPath, string message)
    {
        var order = (at.Line, at.Column, _count++);
        if (_first.Count < MaxReported)
            _first.Enqueue(Error(at, keyPath, message), order);
        else if (_first.TryPeek(out _, out var latest) && order.CompareTo(latest) < 0)
            _first.DequeueEnqueue(Error(at, keyPath, message), order);
    }

    private SpecError Error(Position at, string keyPath, string message) =>
        new(File, at.Line, at.Column, Echo(keyPath, MaxKeyPath), Echo(message, MaxMessage));

    /// <summary>
    /// Input as a message shows it: escaped (an error is one line and cannot move the terminal's cursor) and cut
    /// to <paramref name="max"/> characters with "…", by <see cref="Printable.Escape"/>. Every spec message goes
    /// through here, whole (<see cref="Add"/>) or per echoed value (<see cref="Quote"/>).
    /// </summary>
    internal static string Echo(string text, int max = MaxEchoed) => Printable.Escape(text, max);

    /// <summary>An input value in a message: "value", escaped and cut as <see cref="Echo"/> does.</summary>
    internal static string Quote(string text) => $"\"{Echo(text)}\"";

    /// <summary>Reports every item whose key was already seen, naming where it was first.</summary>
    internal void RejectDuplicates<T, TKey>(IEnumerable<Located<T>> items, Func<T, TKey> keyOf) where TKey : notnull
    {
        var firstSeen = new Dictionary<TKey, string>();
        foreach (Located<T> item in items)
            RejectDuplicate(firstSeen, keyOf(item.Value), item.At, item.Path);
    }

    /// <summary>Reports every item whose value was already seen, naming where it was first.</summary>
    internal void RejectDuplicates<T>(IEnumerable<Located<T>> items) where T : notnull
    {
        var firstSeen = new Dictionary<T, string>();
        foreach (Located<T> item in items)
            RejectDuplicate(firstSeen, item.Value, item.At, item.Path);
    }

    /// <summary>
    /// Reports <paramref name="key"/> if it was already seen, naming where it was first; otherwise remembers it.
    /// Checking each item as it is read spares a list of located items. Key objects by canonical text (an
    /// address's or MAC's ToString): every dictionary type costs a static base at every start.
    /// </summary>
    internal void RejectDuplicate<TKey>(Dictionary<TKey, string> firstSeen, TKey key, Position at, string path) where TKey : notnull
    {
        if (!firstSeen.TryAdd(key, path))
            Add(at, path, $"duplicate of {firstSeen[key]}");
    }

    /// <summary>Throws the collected errors, in file order, if there are any.</summary>
    internal void ThrowIfAny()
    {
        if (!Any)
            return;
        // The max-heap yields the latest first: filled from the end, the array is in file order.
        var reported = new SpecError[_first.Count];
        for (int i = reported.Length - 1; i >= 0; i--)
            reported[i] = _first.Dequeue();
        throw new SpecException(reported, _count - reported.Length);
    }
}
