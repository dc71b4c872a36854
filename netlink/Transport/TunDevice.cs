using System.Runtime.InteropServices;
using System.Text;
using Netlink.Interop;

namespace Netlink.Transport;

/// <summary>
/// Creates a persistent tun/tap device through /dev/net/tun, as <c>ip tuntap add</c> does: TUNSETIFF names and
/// makes it, TUNSETOWNER/TUNSETGROUP let a user attach, TUNSETPERSIST keeps it after the descriptor closes. The
/// device lands in the network namespace of the thread that opens /dev/net/tun (see <see cref="NamespaceFile.RunIn"/>).
/// A failure before TUNSETPERSIST leaves nothing behind: closing the descriptor removes a device not yet persistent.
/// </summary>
internal static unsafe class TunDevice
{
    private const string Path = "/dev/net/tun";

    // _IOW('T', n, int): the same numbers on x86-64 and arm64.
    private const nuint TUNSETIFF = 0x400454ca;
    private const nuint TUNSETPERSIST = 0x400454cb;
    private const nuint TUNSETOWNER = 0x400454cc;
    private const nuint TUNSETGROUP = 0x400454ce;

    private const ushort IFF_TUN = 0x1;
    private const ushort IFF_TAP = 0x2;
    private const ushort IFF_MULTI_QUEUE = 0x100;
    private const ushort IFF_NO_PI = 0x1000;
    private const ushort IFF_VNET_HDR = 0x4000;
    private const ushort IFF_TUN_EXCL = 0x8000; // fail (EBUSY) instead of attaching to an existing device

    private const int IfReqSize = 40; // struct ifreq: char ifr_name[16], then short ifr_flags in the union

    /// <summary>Returns the name the kernel gave the device (a pattern such as <c>tap%d</c> is filled in).</summary>
    internal static string CreatePersistent(string name, TunMode mode, TunOptions options, uint? owner, uint? group)
    {
        using var device = Open();
        var request = stackalloc byte[IfReqSize];
        new Span<byte>(request, IfReqSize).Clear();
        Encoding.UTF8.GetBytes(name, new Span<byte>(request, 15));
        *(ushort*)(request + 16) = Flags(mode, options);
        var added = false;
        device.DangerousAddRef(ref added); // owned here and never shared: the reference only satisfies SafeHandle
        try
        {
            Control(device.Number, TUNSETIFF, request, "ioctl TUNSETIFF");
            if (owner is { } user)
                Control(device.Number, TUNSETOWNER, (void*)user, $"ioctl TUNSETOWNER {user}");
            if (group is { } users)
                Control(device.Number, TUNSETGROUP, (void*)users, $"ioctl TUNSETGROUP {users}");
            Control(device.Number, TUNSETPERSIST, (void*)1, "ioctl TUNSETPERSIST");
        }
        finally
        {
            if (added)
                device.DangerousRelease();
        }
        var given = new ReadOnlySpan<byte>(request, 16);
        return Encoding.UTF8.GetString(given[..given.IndexOf((byte)0)]); // ifr_name: NUL-terminated within 16 bytes
    }

    private static FileDescriptor Open()
    {
        var fd = Libc.open(Path, Libc.O_RDWR | Libc.O_CLOEXEC);
        if (fd < 0)
            throw Failure($"open {Path}"); // the step as detail: the handle names the device and the operation
        return FileDescriptor.Own(fd, $"open {Path}");
    }

    private static ushort Flags(TunMode mode, TunOptions options) => (ushort)(
        (mode == TunMode.Tap ? IFF_TAP : mode == TunMode.Tun ? IFF_TUN : throw new ArgumentOutOfRangeException(nameof(mode)))
        | IFF_TUN_EXCL
        | (options.HasFlag(TunOptions.PacketInformation) ? 0 : IFF_NO_PI)
        | (options.HasFlag(TunOptions.VnetHeader) ? IFF_VNET_HDR : 0)
        | (options.HasFlag(TunOptions.MultiQueue) ? IFF_MULTI_QUEUE : 0));

    private static void Control(int fd, nuint request, void* argument, string step)
    {
        if (Libc.ioctl(fd, request, argument) < 0)
            throw Failure(step);
    }

    private static NetlinkException Failure(string step) =>
        new(Marshal.GetLastPInvokeError(), step) { Kind = RequestKind.CreateTun };
}
