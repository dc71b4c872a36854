namespace Netlink;

/// <summary>Suggestions for the netlink failures users meet most, keyed on errno and the operation.</summary>
internal static class ErrorHints
{
    /// <summary>Route failures whose fix depends on the route: names the gateway, link and source involved.</summary>
    internal static string? ForRoute(NetlinkException error, Route route, string? linkLabel)
    {
        var on = linkLabel is null ? "" : $" on {linkLabel}";
        return (error.Errno, route.Gateway, route.PreferredSource) switch
        {
            (Errno.ENETUNREACH, { } gateway, _) =>
                $"{gateway} is not inside any address prefix{on}; add that address first, or set OnLink if the gateway is on the link",
            (Errno.EHOSTUNREACH, { } gateway, _) =>
                $"no on-link prefix{on} covers {gateway}; add the address with its prefix route first, or set OnLink",
            (Errno.EINVAL, _, { } source) =>
                $"{source} must be an address of this host that has finished DAD (add it with NoDad, or wait for it)",
            _ => null,
        };
    }

    internal static string? For(NetlinkException error)
    {
        var operation = error.Operation ?? "";
        return error.Errno switch
        {
            Errno.ENETDOWN => "bring the link up before adding routes through it",
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
