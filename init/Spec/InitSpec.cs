using Init.Logging;

namespace Init.Spec;

// The validated spec (its file format: docs/spec.md). Everything is immutable and already validated.
// The network half is in NetworkSpec.cs.

/// <summary>The whole validated spec file.</summary>
internal sealed record InitSpec(InitTableSettings Init, WorkloadSpec Workload)
{
    /// <summary>What a missing default spec file means: no network changes, built-in defaults.</summary>
    internal static InitSpec Empty { get; } = new(InitTableSettings.Unset, WorkloadSpec.Default);

    /// <summary>The network to configure; null (no spec file) means leave the network alone, lo included.</summary>
    internal NetworkSpec? Network { get; init; }

    /// <summary>The VM duties (mounts, modules, power-off); null in a container, where nothing of it happens.</summary>
    internal SystemSpec? System { get; init; }
}

/// <summary>
/// <c>[init]</c>: the settings the command line also takes, as the spec gives them; null means "not set here".
/// What applies is <see cref="Init.Cli.EffectiveSettings"/>.
/// </summary>
internal sealed record InitTableSettings(bool? Group, TimeSpan? Grace, IReadOnlyList<int>? RemapExit, LogLevel? Log)
{
    internal static InitTableSettings Unset { get; } = new(null, null, null, null);

    /// <summary><c>rewrite = { TERM = "QUIT" }</c>: FROM → TO, 0 drops (see <see cref="SignalRewrite"/>).</summary>
    internal IReadOnlyDictionary<int, int>? Rewrite { get; init; }

    /// <summary><c>pause = true</c>: run no workload, hold the namespaces (see --pause).</summary>
    internal bool? Pause { get; init; }
}

/// <summary><c>[workload]</c>.</summary>
internal sealed record WorkloadSpec(
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Env,
    string? Workdir,
    string? User,
    IReadOnlyList<string> DropCapabilities,
    bool NoNewPrivileges)
{
    internal static WorkloadSpec Default { get; } =
        new(null, new Dictionary<string, string>(), null, null, ["NET_ADMIN"], false);
}

/// <summary><c>[system]</c>: the duties of a virtual machine's PID 1; null in a container.</summary>
internal sealed record SystemSpec(IReadOnlyList<MountSpec> Mounts, IReadOnlyList<string> Modules)
{
    /// <summary>The mount point that becomes / after the mounts (switch_root(8)); null: the initramfs stays the root.</summary>
    internal string? SwitchRoot { get; init; }
}

/// <summary>One <c>[[system.mount]]</c>; <see cref="Options"/> as mount(8) takes them ("ro,nosuid,size=1m").</summary>
internal sealed record MountSpec(string Source, string Target, string Type, string Options);
