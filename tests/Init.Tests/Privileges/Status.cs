using System.Globalization;

namespace Init.Tests.Privileges;

/// <summary>The credential lines of a /proc/PID/status that a workload printed (several may be concatenated, each after a marker line).</summary>
internal sealed class Status
{
    internal const int NetAdmin = 12;
    internal static readonly string[] CapabilitySets = ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"];

    private readonly Dictionary<string, string> _fields = [];

    private Status(IEnumerable<string> lines)
    {
        foreach (string line in lines)
            if (line.Split(':', 2) is [var name, var value])
                _fields[name] = value.Trim();
    }

    /// <summary>The status printed after the line <paramref name="marker"/>, up to the next line starting with "==".</summary>
    internal static Status After(string output, string marker) =>
        new(output.Split('\n').SkipWhile(line => line != marker).Skip(1).TakeWhile(line => !line.StartsWith("==", StringComparison.Ordinal)));

    internal static Status Of(string status) => new(status.Split('\n'));

    internal ulong Set(string name) => ulong.Parse(_fields[name], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    internal bool Has(string set, int capability) => (Set(set) & (1UL << capability)) != 0;

    internal string this[string field] => _fields[field];

    public override string ToString() => string.Join('\n', _fields.Select(field => $"{field.Key}: {field.Value}"));
}
