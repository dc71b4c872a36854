using System.Net.Sockets;
using Netlink.Rtnetlink;
using Netlink.Transport;

namespace Netlink;

public sealed partial class NetlinkHandle
{
    /// <summary>
    /// Adds a policy rule (NLM_F_EXCL: EEXIST if an equal rule exists). The kernel has no replace for rules:
    /// to converge, list, delete what differs and add what is missing.
    /// </summary>
    public void AddRule(Rule rule, CancellationToken cancellationToken = default) => _channel.Execute(RuleRequest(rule, Change.Add), cancellationToken);

    /// <summary>
    /// Deletes the first rule matching every field that is set (ESRCH when none does). A rule returned by
    /// <see cref="ListRules"/> has its priority and all its fields set, so it deletes exactly that rule.
    /// </summary>
    public void DeleteRule(Rule rule, CancellationToken cancellationToken = default) => _channel.Execute(RuleRequest(rule, Change.Delete), cancellationToken);

    /// <summary>Lists the policy rules of one family, or of IPv4 and IPv6 when null, in priority order.</summary>
    public IReadOnlyList<Rule> ListRules(AddressFamily? family = null, CancellationToken cancellationToken = default) => Described(() => "list rules", () =>
        Decode(DumpConsistently(() => RuleMessages.Dump(family), Rtnl.NewRule, () => "list rules", cancellationToken),
            RuleMessages.Decode, rule => family is null || rule.Family == family));

    private PendingRequest RuleRequest(Rule rule, Change change)
    {
        var request = change == Change.Delete ? RuleMessages.Delete(rule) : RuleMessages.Add(rule);
        return new PendingRequest(request, () => $"{change.ToString().ToLowerInvariant()} rule {rule}",
            error => error.Errno == Errno.EEXIST ? "an equal rule exists (rules have no replace); delete it first, or leave it" : null,
            change.Kind());
    }
}
