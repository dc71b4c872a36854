using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

using Init.Interop;
using Init.Logging;

namespace Init.Supervisor;

/// <summary>
/// Keeps the OOM killer off the init: when the container's memory runs out, the workload (which uses it) should
/// die and the init report it, not the init die and take everything with it.
/// <para>
/// oom_score_adj belongs to the process and is copied at fork, and posix_spawn cannot give the child another.
/// So the init lowers its own only after the workload has been spawned: the workload keeps the container's value,
/// and so do its children. The kernel allows -1000 (never chosen) only with CAP_SYS_RESOURCE, which docker does
/// not grant by default; without it a process may still lower its value down to the lowest one a privileged
/// writer gave it (the container's, as the runtime set it), so that is what the init then takes: below the
/// workload only when the workload's value was raised (e.g. docker --oom-score-adj).
/// </para>
/// </summary>
internal static class OomScore
{
    private const int Minimum = -1000;

    /// <summary>Call right after the workload has been spawned.</summary>
    internal static void ProtectInit()
    {
        if (Open() is not int fd) return;
        try
        {
            if (Current(fd) is int start)
                Lower(fd, start);
        }
        finally
        {
            Libc.close(fd);
        }
    }

    private static void Lower(int fd, int start)
    {
        int error = Set(fd, Minimum);
        if (error == 0)
        {
            Log.Debug($"oom_score_adj {Minimum}: the OOM killer takes the workload, never the init");
            return;
        }
        // Without CAP_SYS_RESOURCE: the lowest value allowed lies in (Minimum, start]; found by bisection (≤ 11 writes).
        // Usually it is start itself (the runtime wrote the container's value as a privileged writer): one write
        // just below it tells, and the bisection is skipped.
        int allowed = start, low = Minimum;
        if (start - 1 > Minimum)
        {
            if (Set(fd, start - 1) == 0) allowed = start - 1;
            else low = start - 1;
        }
        while (allowed - low > 1)
        {
            int middle = low + (allowed - low) / 2;
            if (Set(fd, middle) == 0) allowed = middle;
            else low = middle;
        }
        Log.Debug($"oom_score_adj {allowed} (the lowest allowed; {Minimum} needs CAP_SYS_RESOURCE: {LibcErrno.Describe(error)}); the workload keeps {start}");
    }

    /// <summary>The value now: one read of the fresh descriptor holds the whole short file ("-1000\n" at most).</summary>
    private static unsafe int? Current(int fd)
    {
        byte* text = stackalloc byte[16];
        nint length = Libc.read(fd, text, 16);
        return length > 0 && int.TryParse(new ReadOnlySpan<byte>(text, (int)length), NumberStyles.AllowLeadingSign | NumberStyles.AllowTrailingWhite,
            CultureInfo.InvariantCulture, out int value) ? value : null;
    }

    /// <summary>The file open for reading and writing (one descriptor for both), or null: then nothing is changed.</summary>
    private static unsafe int? Open()
    {
        fixed (byte* path = "/proc/self/oom_score_adj\0"u8)
            return Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC, 0) is var fd && fd >= 0 ? fd : null;
    }

    /// <summary>0, or the errno of the write. Every write to the one descriptor is a whole new value (the kernel ignores the offset).</summary>
    private static unsafe int Set(int fd, int value)
    {
        byte[] text = Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));
        fixed (byte* start = text)
            return Libc.write(fd, start, text.Length) == text.Length ? 0 : Marshal.GetLastPInvokeError();
    }
}
