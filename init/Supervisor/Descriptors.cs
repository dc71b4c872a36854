namespace Init.Supervisor;

/// <summary>
/// File descriptors: those the container passed in stay open for the workload (socket activation, inherited
/// pipes), those the init opened itself (netlink sockets, files) never reach it. Everything the init opens is
/// close-on-exec already; the spawn also closes explicitly whatever was not there at start-up. Without /proc
/// (a bare chroot) close-on-exec alone does it.
/// </summary>
internal static class Descriptors
{
    private static HashSet<int>? s_inherited;

    /// <summary>Call first thing, before the init opens anything.</summary>
    internal static void RecordInherited() => s_inherited = Open();

    /// <summary>What the container passed in; null when /proc is not there to tell.</summary>
    internal static IReadOnlySet<int>? Inherited => s_inherited;

    /// <summary>Descriptors open now that the container did not pass in.</summary>
    internal static IEnumerable<int> OwnedByInit() =>
        s_inherited is not null && Open() is { } open ? open.Except(s_inherited).Order() : [];

    /// <summary>The open descriptors, without the one used to list them; null without /proc.</summary>
    private static HashSet<int>? Open() =>
        ProcDirectory.Numbers("/proc/self/fd\0"u8, out int listing) is { } open ? [.. open.Where(fd => fd != listing)] : null;
}
