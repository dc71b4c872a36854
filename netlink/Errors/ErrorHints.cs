using Netlink.Transport;

namespace Netlink;

/// <summary>Suggestions for the netlink failures users meet most, keyed on the errno and the kind of request.</summary>
internal static class ErrorHints
{
    /// <summary>Route failures whose fix depends on the route: names the gateway, link and source involved.</summary>
    internal static string? ForRoute(NetlinkException error, Route route, string? linkLabel)
    {
        var on = linkLabel is null ? "" : $" on {linkLabel}";
        return (error.Errno, route.Gateway, route.PreferredSource) switch
        {
            (Errno.ENETUNREACH, { } gateway, _) =>
                $"{gateway} is not inside any address prefix{on}; add that address first, or make the route onlink if the gateway is on the link",
            (Errno.EHOSTUNREACH, { } gateway, _) =>
                $"no on-link prefix{on} covers {gateway}; add the address with its prefix route first, or make the route onlink",
            (Errno.EINVAL, _, { } source) =>
                $"{source} must be an address of this host that has finished DAD (add it with NoDad, or wait for it)",
            _ => null,
        };
    }

    /// <summary>
    /// A gateway route on a link that is down: the kernel ignores a down link's prefixes, so the gateway looks
    /// unreachable although its address is there.
    /// </summary>
    internal static string ForRouteOnDownLink(string linkLabel) =>
        $"{linkLabel} is down, and the kernel reaches no gateway through a link that is down; bring it up first, or make the route onlink";

    internal static string? For(NetlinkException error) => (error.Errno, error.Kind) switch
    {
        (Errno.ENETDOWN, _) => "bring the link up before adding routes through it",
        (Errno.EEXIST, RequestKind.Add) => "it already exists; use the replace operation to converge instead of adding",
        (Errno.EEXIST, RequestKind.CreateLink) => "a link with that name already exists; find it with FindLink, or delete it first",
        (Errno.EBUSY, RequestKind.RenameLink or RequestKind.SetMacAddress) => "set the link down first",
        (Errno.EOPNOTSUPP, RequestKind.CreateLink) => "this kernel has no driver for that link kind",
        (Errno.ENOENT, RequestKind.CreateTun) => "/dev/net/tun is missing: load the tun module (modprobe tun), or create the node (mknod /dev/net/tun c 10 200)",
        (Errno.ENODEV or Errno.ENXIO, RequestKind.CreateTun) => "this kernel has no tun driver: load the tun module (modprobe tun; CONFIG_TUN)",
        (Errno.EBUSY, RequestKind.CreateTun) => "a link with that name already exists; find it with FindLink, or delete it first",
        (Errno.EPERM, RequestKind.EnterNamespace) => "entering a network namespace (setns) needs CAP_SYS_ADMIN",
        (Errno.EPERM, _) => "the process lacks CAP_NET_ADMIN in this network namespace",
        _ => null,
    };
}
