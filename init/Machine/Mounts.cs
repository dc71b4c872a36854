using System.Text;

using Init.Interop;
using Init.Spec;

namespace Init.Machine;

/// <summary>The file systems a machine's PID 1 mounts before anything else, and mount(2) itself.</summary>
internal static class Mounts
{
    /// <summary>What a container runtime would have mounted, with its usual options; /proc first (the rest is checked there).</summary>
    internal static readonly IReadOnlyList<MountSpec> Standard =
    [
        new("proc", "/proc", "proc", "nosuid,nodev,noexec"),
        new("sysfs", "/sys", "sysfs", "nosuid,nodev,noexec"),
        new("devtmpfs", "/dev", "devtmpfs", "nosuid,mode=0755"),
        new("devpts", "/dev/pts", "devpts", "nosuid,noexec,mode=0620,ptmxmode=0666"),
        new("tmpfs", "/dev/shm", "tmpfs", "nosuid,nodev,mode=1777"),
        new("tmpfs", "/run", "tmpfs", "nosuid,nodev,mode=0755"),
        new("tmpfs", "/tmp", "tmpfs", "nosuid,nodev,mode=1777"),
        new("cgroup2", "/sys/fs/cgroup", "cgroup2", "nosuid,nodev,noexec,relatime"),
    ];

    /// <summary>The standard mounts that switch_root moves into the new root; the others are below them and move along.</summary>
    internal static readonly IReadOnlyList<string> StandardTops = ["/proc", "/sys", "/dev", "/run", "/tmp"];

    /// <summary>Mounts each of <see cref="Standard"/> that is not mounted yet (a kernel or a boot loader may have done some).</summary>
    internal static void MountStandard()
    {
        foreach (MountSpec mount in Standard)
        {
            // /proc is there when /proc/self is; every other mount point is looked up in the mount table /proc gives.
            bool mounted = mount.Target == "/proc" ? Directory.Exists("/proc/self") : MountPoints().Contains(mount.Target);
            if (!mounted)
                Mount(mount);
        }
    }

    /// <summary>mount(2) as mount(8) does it: the target is created if missing; a bind mount's flags get a remount.</summary>
    internal static void Mount(MountSpec mount)
    {
        MountOptions options = MountOptions.Parse(mount.Options);
        string what = $"mount {mount.Source} on {mount.Target} ({mount.Type}{(mount.Options.Length > 0 ? ", " + mount.Options : "")})";
        try
        {
            Directory.CreateDirectory(mount.Target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SystemSetupException($"{what}: cannot create {mount.Target}: {e.Message}");
        }
        Call(what, mount, options.Flags, options.Data);
        if (options.IsBind && (options.Flags & MountOptions.RemountedForBind) != 0)
            Call(what + ": remount", mount, Interop.Libc.MS_REMOUNT | Interop.Libc.MS_BIND | options.Flags, null);
    }

    /// <summary>mount --move: <paramref name="from"/> (and every mount below it) to <paramref name="to"/>, created if missing.</summary>
    internal static void Move(string from, string to)
    {
        Directory.CreateDirectory(to);
        Call($"move mount {from} to {to}", new MountSpec(from, to, "none", ""), Libc.MS_MOVE, null);
    }

    private static unsafe void Call(string what, MountSpec mount, ulong flags, string? data)
    {
        fixed (byte* source = Terminated(mount.Source), target = Terminated(mount.Target), type = Terminated(mount.Type),
            options = data is null ? null : Terminated(data))
        {
            if (Libc.mount(source, target, type, flags, options) != 0)
                throw new SystemSetupException($"{what}: {LibcErrno.Describe(System.Runtime.InteropServices.Marshal.GetLastPInvokeError())}");
        }
    }

    internal static byte[] Terminated(string text) => Encoding.UTF8.GetBytes(text + "\0");

    /// <summary>The mount points of /proc/self/mountinfo (field 5, with mount(8)'s octal escapes undone).</summary>
    internal static HashSet<string> MountPoints()
    {
        var points = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (string line in File.ReadLines("/proc/self/mountinfo"))
                if (line.Split(' ') is { Length: > 4 } fields)
                    points.Add(Unescape(fields[4]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SystemSetupException($"read /proc/self/mountinfo: {e.Message}");
        }
        return points;
    }

    private static string Unescape(string field)
    {
        if (!field.Contains('\\')) return field;
        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length && field.AsSpan(i + 1, 3).IndexOfAnyExceptInRange('0', '7') < 0)
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
                text.Append(field[i]);
        }
        return text.ToString();
    }
}
