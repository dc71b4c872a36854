using Netlink.Wire;

namespace Netlink;

/// <summary>What a tun/tap device carries: IP packets (tun) or Ethernet frames (tap).</summary>
public enum TunMode : byte
{
    /// <summary>A layer-3 device: IP packets, no link-layer header (IFF_TUN).</summary>
    Tun = 1,
    /// <summary>A layer-2 device: Ethernet frames, with a MAC address (IFF_TAP), e.g. a virtual machine's NIC.</summary>
    Tap = 2,
}

/// <summary>Options of a tun/tap device, as set when it is created and as the kernel reports them.</summary>
[Flags]
public enum TunOptions
{
    /// <summary>None: plain packets, one queue.</summary>
    None = 0,
    /// <summary>Each packet read or written starts with the 4-byte packet information header (without it: IFF_NO_PI).</summary>
    PacketInformation = 1,
    /// <summary>Each packet starts with a virtio-net header (IFF_VNET_HDR), for offloads to a virtual machine.</summary>
    VnetHeader = 2,
    /// <summary>Several descriptors can attach, one queue each (IFF_MULTI_QUEUE).</summary>
    MultiQueue = 4,
}

/// <summary>A tun/tap device's settings as the kernel reports them (IFLA_TUN_* in the link's info data).</summary>
public sealed class TunInfo
{
    /// <summary>Tun or tap.</summary>
    public TunMode Mode { get; init; }

    /// <summary>Packet information, virtio-net header, multiple queues.</summary>
    public TunOptions Options { get; init; }

    /// <summary>The device stays when its last descriptor closes (TUNSETPERSIST).</summary>
    public bool Persistent { get; init; }

    /// <summary>The user allowed to attach besides CAP_NET_ADMIN holders, when one is set.</summary>
    public uint? Owner { get; init; }

    /// <summary>The group allowed to attach, when one is set.</summary>
    public uint? Group { get; init; }

    /// <summary>How many descriptors (queues) are attached now, when reported.</summary>
    public uint? AttachedQueues { get; init; }

    // IFLA_TUN_* (linux/if_link.h).
    private const ushort AttributeOwner = 1;
    private const ushort AttributeGroup = 2;
    private const ushort AttributeType = 3;
    private const ushort AttributePacketInformation = 4;
    private const ushort AttributeVnetHeader = 5;
    private const ushort AttributePersist = 6;
    private const ushort AttributeMultiQueue = 7;
    private const ushort AttributeQueues = 8;

    internal static TunInfo Decode(AttributeReader data)
    {
        TunMode mode = default;
        var options = TunOptions.None;
        var persistent = false;
        uint? owner = null, group = null, queues = null;
        while (data.TryRead(out var attribute))
        {
            switch (attribute.Type)
            {
                case AttributeOwner: owner = attribute.GetU32(); break;
                case AttributeGroup: group = attribute.GetU32(); break;
                case AttributeType: mode = (TunMode)attribute.GetU8(); break;
                case AttributePacketInformation when attribute.GetU8() != 0: options |= TunOptions.PacketInformation; break;
                case AttributeVnetHeader when attribute.GetU8() != 0: options |= TunOptions.VnetHeader; break;
                case AttributeMultiQueue when attribute.GetU8() != 0: options |= TunOptions.MultiQueue; break;
                case AttributePersist: persistent = attribute.GetU8() != 0; break;
                case AttributeQueues: queues = attribute.GetU32(); break;
            }
        }
        return new TunInfo { Mode = mode, Options = options, Persistent = persistent, Owner = owner, Group = group, AttachedQueues = queues };
    }
}
