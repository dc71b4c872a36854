namespace Init.Tests.Harness;

/// <summary>Fields of /proc/PID/stat of a process the test started.</summary>
public static class ProcStat
{
    /// <summary>utime + stime in clock ticks (fields 14 and 15; 1 tick = 10 ms): CPU used, whatever the wall clock did.</summary>
    public static long CpuTicks(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }
}
