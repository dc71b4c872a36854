namespace Init.Spec;

/// <summary>Linux capability names (linux/capability.h), indexed by their number.</summary>
internal static class Capabilities
{
    /// <summary><c>drop_capabilities = ["ALL"]</c>: every capability the kernel knows.</summary>
    internal const string All = "ALL";

    private static readonly string[] names =
    [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ];

    internal static IReadOnlyList<string> Names => names;

    /// <summary>The capability's number (CAP_NET_ADMIN is 12), for a canonical name from <see cref="Names"/>.</summary>
    internal static int Number(string name) => Array.IndexOf(names, name);

    /// <summary>
    /// "net_admin", "CAP_NET_ADMIN" and "NET_ADMIN" all mean NET_ADMIN (case-insensitive, prefix optional,
    /// as docker's --cap-drop); returns the canonical upper-case name without prefix, or null.
    /// </summary>
    internal static string? Canonical(string text)
    {
        string upper = text.ToUpperInvariant();
        string name = upper.StartsWith("CAP_", StringComparison.Ordinal) ? upper[4..] : upper;
        return name == All || names.Contains(name) ? name : null;
    }
}
