using System.Globalization;
using System.Text;

using Init.Interop;
using Init.Logging;

namespace Init.Supervisor;

/// <summary>
/// Signals every process still alive besides the init. As PID 1 of a PID namespace, kill(-1) reaches all of them,
/// including those that called setsid or double-forked away. Not PID 1, kill(-1) would hit the whole host: the
/// init then walks /proc for its own descendants (orphans are reparented to it, a child subreaper); when /proc
/// cannot be read (absent, or no descriptor left under a low RLIMIT_NOFILE) it signals the workload's process
/// group instead, which reaches every leftover that did not leave it (setsid, setpgid).
/// </summary>
internal sealed class Leftovers(int initPid, int? workloadPid, bool machine = false)
{
    /// <summary>/proc/PID/stat's flag of a kernel thread (include/linux/sched.h).</summary>
    private const uint PF_KTHREAD = 0x00200000;

    private bool IsPid1 => initPid == 1;

    /// <summary>Sends <paramref name="signal"/>; returns how many processes got it (null for "some", 0 for none).</summary>
    internal int? Signal(int signal)
    {
        if (IsPid1)
            return Libc.kill(-1, signal) == 0 ? null : 0;
        if (Descendants(initPid, out int error) is not { } descendants)
        {
            if (workloadPid is not int group) // pause mode: no workload, no group to fall back on
            {
                Log.Warn($"cannot list /proc: {LibcErrno.Describe(error)}; {SignalNames.Name(signal)} not sent");
                return 0;
            }
            Log.Warn($"cannot list /proc: {LibcErrno.Describe(error)}; sending {SignalNames.Name(signal)} to the workload's process group {group} instead");
            return Libc.kill(-group, signal) == 0 ? null : 0;
        }
        int count = 0;
        foreach (int pid in descendants)
            if (Libc.kill(pid, signal) == 0) count++;
        return count;
    }

    /// <summary>
    /// True when nothing but the init is left. Without children nothing of ours is left, except as PID 1: a process
    /// entered into the namespace from outside (docker exec) is no child of the init, yet it got the SIGTERM and
    /// is owed the grace; kill(-1, 0) still finds it. A machine's PID 1 shares its namespace with the kernel's
    /// threads, which kill(-1, 0) finds too: there only processes without PF_KTHREAD count.
    /// </summary>
    internal bool NoneLeft(Reaper reaper) =>
        reaper.NoChildrenLeft && !(IsPid1 && (machine ? UserProcessesLeft() : Libc.kill(-1, 0) == 0));

    private bool UserProcessesLeft()
    {
        foreach (int pid in ProcDirectory.Numbers("/proc\0"u8, out _, out _) ?? [])
            if (pid != initPid && FlagsFromStat(Encoding.UTF8.GetString(ProcFile.Read($"/proc/{pid}/stat"))) is uint flags
                && (flags & PF_KTHREAD) == 0)
                return true;
        return false;
    }

    /// <summary>
    /// Every process whose chain of parents (from /proc/PID/stat) leads to <paramref name="ancestor"/>; null when
    /// /proc cannot be listed, with the errno in <paramref name="error"/>.
    /// </summary>
    internal static List<int>? Descendants(int ancestor, out int error)
    {
        if (ProcDirectory.Numbers("/proc\0"u8, out _, out error) is not { } pids)
            return null;
        var children = new Dictionary<int, List<int>>();
        foreach (int pid in pids) // one that exited meanwhile reads as empty and has no parent
            if (ParentFromStat(Encoding.UTF8.GetString(ProcFile.Read($"/proc/{pid}/stat"))) is int parent)
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(pid);
        var found = new List<int>();
        var pending = new Queue<int>([ancestor]);
        while (pending.TryDequeue(out int pid))
            foreach (int child in children.GetValueOrDefault(pid) ?? [])
            {
                found.Add(child);
                pending.Enqueue(child);
            }
        return found;
    }

    /// <summary>The 4th field of /proc/PID/stat; the command name (2nd) may hold spaces and parentheses.</summary>
    internal static int? ParentFromStat(string stat) =>
        FieldAfterName(stat, 1) is { } field && int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int parent)
            ? parent : null;

    /// <summary>The 9th field of /proc/PID/stat, the PF_* flags.</summary>
    private static uint? FlagsFromStat(string stat) =>
        FieldAfterName(stat, 6) is { } field && uint.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out uint flags)
            ? flags : null;

    /// <summary>Field <paramref name="index"/> counted from the state (0) after the command name, which may hold spaces and parentheses.</summary>
    private static string? FieldAfterName(string stat, int index)
    {
        int end = stat.LastIndexOf(')');
        string[] fields = stat[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return end > 0 && fields.Length > index ? fields[index] : null;
    }
}
