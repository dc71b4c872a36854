using System.Text;

namespace Init.Supervisor;

/// <summary>Names the limit behind an EAGAIN from thread or process creation, so the user knows what to raise.</summary>
internal static class ProcessLimit
{
    /// <summary>": the process limit is reached (pids.max 8 of cgroup /x)" or, without cgroup v2 to read, the generic reason.</summary>
    internal static string Reached()
    {
        string cgroup = CgroupV2Path();
        string pidsMax = Encoding.UTF8.GetString(ProcFile.Read($"/sys/fs/cgroup{cgroup}/pids.max")).Trim();
        return pidsMax.Length > 0 && pidsMax != "max"
            ? $": the process limit is reached (pids.max {pidsMax} of cgroup {(cgroup.Length > 0 ? cgroup : "/")})"
            : ": a process limit is reached (the cgroup's pids.max or RLIMIT_NPROC)";
    }

    /// <summary>The init's cgroup v2 path from /proc/self/cgroup ("0::/path"), without a trailing '/': "" for the root or none.</summary>
    private static string CgroupV2Path()
    {
        foreach (string line in Encoding.UTF8.GetString(ProcFile.Read("/proc/self/cgroup")).Split('\n'))
            if (line.StartsWith("0::/", StringComparison.Ordinal))
                return line[3..].TrimEnd('/') is { Length: > 0 } path ? path : "";
        return "";
    }
}
