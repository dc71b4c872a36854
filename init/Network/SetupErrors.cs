using System.Text;
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

    internal static NetworkSetupException Netlink(string operation, NetlinkException error, string? hint = null)
    {
        var text = Head(operation, error.ErrnoName, error.ErrnoDescription);
        if (error.KernelMessage is { } kernel)
            text.Append(NetworkSetupException.DetailSeparator + "kernel: ").Append(kernel);
        if (error.Detail is { } detail)
            text.Append(NetworkSetupException.DetailSeparator + "detail: ").Append(detail);
        return WithHint(text, hint ?? (error.Errno == Errno.EPERM ? NetAdminHint : error.Hint));
    }

    /// <summary>A failed system call outside netlink (hostname, files).</summary>
    internal static NetworkSetupException System(string operation, int errno, string? hint) =>
        WithHint(Head(operation, Errno.Name(errno), Errno.Describe(errno)), hint);

    /// <summary>A wait that ran out of time: what was awaited, for how long, and what usually causes it.</summary>
    internal static NetworkSetupException TimedOut(string operation, TimeSpan timeout, string hint) =>
        WithHint(Head(operation, Errno.Name(Errno.ETIMEDOUT), $"not done within {PlanText.Duration(timeout)}"), hint);

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
