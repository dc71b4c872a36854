namespace Netlink;

/// <summary>Suggestions for the netlink failures users meet most, keyed on errno and the kernel's message.</summary>
internal static class ErrorHints
{
    internal static string? For(NetlinkException error)
    {
        var kernel = error.KernelMessage ?? "";
        var operation = error.Operation ?? "";
        return error.Errno switch
        {
            Errno.ENETUNREACH when kernel.Contains("gateway", StringComparison.OrdinalIgnoreCase) =>
                "the gateway is not inside any address prefix on the output link; add that address first, or set OnLink if the gateway is on the link",
            Errno.EHOSTUNREACH => "no on-link prefix covers the IPv6 gateway; add an address with its prefix route first, or set OnLink",
            Errno.ENETDOWN => "bring the link up before adding routes through it",
            Errno.EINVAL when kernel.Contains("source address", StringComparison.OrdinalIgnoreCase) || kernel.Contains("prefsrc", StringComparison.OrdinalIgnoreCase) =>
                "the preferred source must be a local address that has finished DAD (add it with NoDad or wait for it)",
            Errno.EEXIST when operation.Contains("add ", StringComparison.Ordinal) =>
                "it already exists; use the replace operation to converge instead of adding",
            Errno.EEXIST when operation.Contains(": create ", StringComparison.Ordinal) =>
                "a link with that name already exists; find it with FindLink, or delete it first",
            Errno.EBUSY when operation.Contains("rename", StringComparison.Ordinal) || operation.Contains("set mac", StringComparison.Ordinal) =>
                "set the link down first",
            Errno.EOPNOTSUPP when operation.Contains("create", StringComparison.Ordinal) =>
                "this kernel has no driver for that link kind",
            Errno.EPERM => "the process lacks CAP_NET_ADMIN in this network namespace",
            _ => null,
        };
    }
}
