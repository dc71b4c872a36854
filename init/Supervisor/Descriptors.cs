namespace Init.Supervisor;

/// <summary>
/// File descriptors: those the container passed in stay open for the workload (socket activation, inherited
/// pipes), those the init opened itself (netlink sockets, files) never reach it. Everything the init opens is
/// close-on-exec already; the spawn also closes explicitly whatever was not there at start-up. Without /proc
/// (a bare chroot) close-on-exec alone does it.
/// </summary>
internal static class Descriptors
{
    private static List<int>? s_inherited;

    /// <summary>Call first thing, before the init opens anything.</summary>
    internal static void RecordInherited() => s_inherited = Open(out s_listingError);

    /// <summary>What the container passed in; null when /proc could not tell (see <see cref="ListingError"/>).</summary>
    internal static IReadOnlyList<int>? Inherited => s_inherited;

    /// <summary>Why /proc/self/fd could not be listed at start-up (ENOENT: no /proc; EMFILE: no descriptor left).</summary>
    internal static int ListingError => s_listingError;

    private static int s_listingError;

    /// <summary>Descriptors open now that the container did not pass in (a handful: plain lists, no hashing).</summary>
    internal static int[] OwnedByInit()
    {
        if (s_inherited is null || Open(out _) is not { } open) return [];
        var owned = new List<int>();
        foreach (int fd in open)
            if (!s_inherited.Contains(fd)) owned.Add(fd);
        return [.. owned];
    }

    /// <summary>The open descriptors, without the one used to list them; null when they cannot be listed.</summary>
    private static List<int>? Open(out int error)
    {
        List<int>? open = ProcDirectory.Numbers("/proc/self/fd\0"u8, out int listing, out error);
        open?.Remove(listing);
        return open;
    }
}
