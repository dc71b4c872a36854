using Netlink.Transport;

namespace Netlink.Rtnetlink;

/// <summary>rtnetlink message types, header sizes and attribute numbers (linux/rtnetlink.h, if_link.h, if_addr.h).</summary>
internal static class Rtnl
{
    internal const ushort NewLink = 16;
    internal const ushort DelLink = 17;
    internal const ushort GetLink = 18;
    internal const ushort NewAddress = 20;
    internal const ushort DelAddress = 21;
    internal const ushort GetAddress = 22;
    internal const ushort NewRoute = 24;
    internal const ushort DelRoute = 25;
    internal const ushort GetRoute = 26;
    internal const ushort NewNeighbor = 28;
    internal const ushort DelNeighbor = 29;
    internal const ushort GetNeighbor = 30;
    internal const ushort NewRule = 32;
    internal const ushort DelRule = 33;
    internal const ushort GetRule = 34;

    internal const int IfInfoSize = 16;
    internal const int IfAddrSize = 8;
    internal const int RtMsgSize = 12;
    internal const int FibRuleHeaderSize = 12;
    internal const int NdMsgSize = 12;

    // IFLA_*
    internal const ushort LinkAddress = 1;
    internal const ushort LinkName = 3;
    internal const ushort LinkMtu = 4;
    internal const ushort LinkParent = 5;
    internal const ushort LinkMaster = 10;
    internal const ushort LinkNamespacePid = 19;
    internal const ushort LinkOperState = 16;
    internal const ushort LinkInfo = 18;
    internal const ushort LinkStatistics64 = 23;
    internal const ushort LinkNamespaceFd = 28;
    internal const ushort LinkExtMask = 29;
    internal const ushort LinkParentNamespaceId = 37;
    internal const ushort LinkMinMtu = 50;
    internal const ushort LinkMaxMtu = 51;
    // IFLA_INFO_*
    internal const ushort InfoKind = 1;
    internal const ushort InfoData = 2;
    internal const ushort VethPeer = 1;
    internal const ushort MacvlanMode = 1;
    // IFLA_VXLAN_*
    internal const ushort VxlanId = 1;
    internal const ushort VxlanGroup = 2;
    internal const ushort VxlanLink = 3;
    internal const ushort VxlanLocal = 4;
    internal const ushort VxlanLearning = 7;
    internal const ushort VxlanPort = 15;
    internal const ushort VxlanGroup6 = 16;
    internal const ushort VxlanLocal6 = 17;
    // RTEXT_FILTER_*
    internal const uint FilterVf = 1;

    // IFA_*
    internal const ushort AddrAddress = 1;
    internal const ushort AddrLocal = 2;
    internal const ushort AddrLabel = 3;
    internal const ushort AddrBroadcast = 4;
    internal const ushort AddrCacheInfo = 6;
    internal const ushort AddrFlags = 8;

    // RTA_*
    internal const ushort RouteDestination = 1;
    internal const ushort RouteOutputLink = 4;
    internal const ushort RouteGateway = 5;
    internal const ushort RoutePriority = 6;
    internal const ushort RoutePreferredSource = 7;
    internal const ushort RouteMetrics = 8;
    internal const ushort RouteMultipath = 9;
    internal const ushort RouteTable = 15;
    internal const ushort RouteNextHopId = 30;
    internal const uint RouteFlagOnLink = 4;
    internal const uint RouteFlagLookupTable = 0x1000;
    internal const int RtNextHopSize = 8;
    // RTAX_*
    internal const ushort MetricMtu = 2;
    internal const ushort MetricAdvertisedMss = 8;

    // FRA_*
    internal const ushort RuleDestination = 1;
    internal const ushort RuleSource = 2;
    internal const ushort RuleInputInterface = 3;
    internal const ushort RuleGoto = 4;
    internal const ushort RulePriority = 6;
    internal const ushort RuleFirewallMark = 10;
    internal const ushort RuleSuppressPrefixLength = 14;
    internal const ushort RuleTable = 15;
    internal const ushort RuleFirewallMask = 16;
    internal const ushort RuleOutputInterface = 17;
    internal const ushort RuleProtocol = 21;
    internal const uint RuleFlagInvert = 2;

    // NDA_*, NTF_*
    internal const ushort NeighborDestination = 1;
    internal const ushort NeighborLinkLayerAddress = 2;
    internal const byte NeighborFlagProxy = 0x08;
    internal const byte NeighborFlagRouter = 0x80;

    // RTNLGRP_*
    internal const uint GroupLink = 1;
    internal const uint GroupIPv4Address = 5;
    internal const uint GroupIPv4Route = 7;
    internal const uint GroupIPv6Address = 9;
    internal const uint GroupIPv6Route = 11;
    internal const uint GroupNeighbor = 3;
    internal const uint GroupIPv4Rule = 8;
    internal const uint GroupIPv6Rule = 19;

    /// <summary>Requests are small; this bounds the stack buffer they are built in.</summary>
    internal const int RequestCapacity = 1024;
}

/// <summary>What a request does to an address or route; the lower-case name is the verb in error messages.</summary>
internal enum Change
{
    Add,
    Replace,
    Delete,
}

internal static class ChangeKinds
{
    /// <summary>Only an add can collide with what exists (EEXIST); replace and delete converge.</summary>
    internal static RequestKind Kind(this Change change) => change == Change.Add ? RequestKind.Add : RequestKind.Other;
}
