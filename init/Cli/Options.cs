namespace Init.Cli;

/// <summary>What the command line said; null or empty means "not given" (the environment, the spec or a default decides).</summary>
internal sealed class Options
{
    internal byte[]? SpecPath { get; set; }
    internal bool Check { get; set; }
    internal bool? Group { get; set; }
    internal TimeSpan? Grace { get; set; }
    internal List<int> RemapExit { get; } = [];
    /// <summary>-r FROM:TO, in the order given; TO 0 drops.</summary>
    internal Dictionary<int, int> Rewrite { get; } = [];
    internal bool? Pause { get; set; }
    internal int? ParentDeathSignal { get; set; }
    internal int Verbosity { get; set; }
    internal bool Quiet { get; set; }
    internal bool Version { get; set; }
    internal bool Help { get; set; }
    /// <summary>The workload's argv as given, bytes untouched.</summary>
    internal IReadOnlyList<byte[]> Command { get; set; } = [];
}

/// <summary>Bad command line or environment: exit 2 with the message.</summary>
internal sealed class UsageException(string message) : Exception(message);
