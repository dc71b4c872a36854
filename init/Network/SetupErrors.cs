using System.Net.Sockets;
using System.Text;
using Init.Spec;
using Netlink;

namespace Init.Network;

/// <summary>
/// Builds the one message a failed setup step prints, e.g.
/// <c>eth0: add route default via 192.0.2.1 metric 100 proto static: ENETUNREACH (Network is unreachable)</c>
/// followed by <c>  kernel: …</c> and <c>  hint: …</c> lines. Hints speak the spec's and docker's words.
/// </summary>
internal static class SetupErrors
{
    internal const string NetAdminHint = "the init needs CAP_NET_ADMIN to configure the network: docker run --cap-add NET_ADMIN";

    /// <summary>The library's own message, with the step's words for the operation and the init's hint when it has one.</summary>
    internal static NetworkSetupException Netlink(string operation, NetlinkException error, string? hint = null) =>
        new(error.Describe(operation, hint ?? (error.Errno == Errno.EPERM ? NetAdminHint : error.Hint)));

    /// <summary>A failed system call outside netlink (hostname, files).</summary>
    internal static NetworkSetupException System(string operation, int errno, string? hint) =>
        WithHint(Head(operation, Errno.Name(errno), Errno.Describe(errno)), hint);

    /// <summary>A wait that ran out of time: what was awaited, for how long, and what usually causes it.</summary>
    internal static NetworkSetupException TimedOut(string operation, TimeSpan timeout, string hint) =>
        WithHint(Head(operation, Errno.Name(Errno.ETIMEDOUT), $"not done within {Duration.Format(timeout)}"), hint);

    internal static NetworkSetupException NoCarrier(string link, TimeSpan timeout) =>
        TimedOut($"{link}: wait for carrier", timeout,
            $"{link} is up but has no carrier: the other end (veth peer, bridge port, cable) is down or missing. "
            + "Raise wait_timeout, or set wait = \"none\"");

    internal static NetworkSetupException StillTentative(string link, Cidr address, TimeSpan timeout) =>
        TimedOut($"{link}: wait for DAD on {address}", timeout,
            $"{address} is still tentative: duplicate address detection needs carrier and takes about "
            + "net.ipv6.conf.*.dad_transmits seconds. Raise wait_timeout, or set dad = false");

    /// <summary>An MTU the link refused: the range the driver reported, when it did.</summary>
    internal static string? MtuHint(NetlinkException error, Link link) =>
        error.Errno == Errno.EINVAL && link.MinMtu is { } min && link.MaxMtu is { } max
            ? $"{link.Name} accepts an MTU from {min} to {max}"
            : null;

    /// <summary>The kernel answers EACCES to IPv6 on a link where it is disabled, which docker does unless the network has IPv6.</summary>
    internal static string? Ipv6Hint(NetlinkException error, string link, AddressFamily family) =>
        error.Errno == Errno.EACCES && family == AddressFamily.InterNetworkV6
            ? $"IPv6 is disabled on {link} (docker disables it unless the network has IPv6): "
              + "docker run --sysctl net.ipv6.conf.all.disable_ipv6=0, or remove the IPv6 addresses and routes from the spec"
            : null;

    internal static NetworkSetupException NoSuchLink(string link, IEnumerable<string> present) =>
        WithHint(new StringBuilder($"{link}: no such link (ENODEV)"),
            $"the links here are {string.Join(", ", present)}; docker run --network none gives a container only lo. "
            + "Attach a network, or remove this [[interface]] from the spec");

    private static StringBuilder Head(string operation, string errnoName, string errnoText) =>
        new StringBuilder(operation).Append(": ").Append(errnoName).Append(" (").Append(errnoText).Append(')');

    private static NetworkSetupException WithHint(StringBuilder text, string? hint)
    {
        if (hint is not null)
            text.Append(NetworkSetupException.DetailSeparator + "hint: ").Append(hint);
        return new NetworkSetupException(text.ToString());
    }
}
