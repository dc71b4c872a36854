using System.Text;

namespace Init.Supervisor;

/// <summary>Names the limit behind an EAGAIN from thread or process creation, so the user knows what to raise.</summary>
internal static class ProcessLimit
{
    /// <summary>": the process limit is reached (pids.max 8 of cgroup /x)", or the generic reason when no limit can be read.</summary>
    internal static string Reached()
    {
        foreach (string line in Encoding.UTF8.GetString(ProcFile.Read("/proc/self/cgroup")).Split('\n'))
        {
            // cgroup v2 ("0::/path") or v1's pids hierarchy ("N:pids:/path").
            string[] fields = line.Split(':', 3);
            if (fields.Length < 3 || !(fields[1] is "" or "pids")) continue;
            string cgroup = fields[2];
            string directory = fields[1] == "" ? "/sys/fs/cgroup" : "/sys/fs/cgroup/pids";
            string pidsMax = Encoding.UTF8.GetString(ProcFile.Read($"{directory}{cgroup.TrimEnd('/')}/pids.max")).Trim();
            if (pidsMax.Length > 0 && pidsMax != "max")
                return $": the process limit is reached (pids.max {pidsMax} of cgroup {cgroup})";
        }
        return ": a process limit is reached (the cgroup's pids.max or RLIMIT_NPROC)";
    }
}
