using System.Runtime.InteropServices;
using System.Text.Json;
using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>
/// Persistent tun and tap devices made through /dev/net/tun in the handle's namespace, checked against
/// <c>ip -d -j link</c>. When this machine's /dev lacks the node but the kernel has the driver (/proc/misc lists
/// "200 tun"), the set-up creates it (mknod c 10 200), as a container's minimal /dev may need.
/// </summary>
[Trait("Needs", "root")]
public sealed partial class TunTests : NamespaceTest
{
    // Ids without a passwd or group entry, so iproute2 prints them as numbers.
    private const uint Owner = 64321;
    private const uint Group = 64322;

    public TunTests()
    {
        if (!File.Exists("/dev/net/tun") && File.ReadLines("/proc/misc").Any(line => line.Trim() == "200 tun"))
        {
            Directory.CreateDirectory("/dev/net");
            TestNamespace.Run("mknod", "-m", "666", "/dev/net/tun", "c", "10", "200");
        }
    }

    private JsonElement TunData(string name) =>
        Namespace.IpJson("-d", "link", "show", "dev", name)[0].GetProperty("linkinfo").GetProperty("info_data");

    [Fact]
    public void TunAndTapAreMadeInTheHandlesNamespaceAsIproute2ReportsThem()
    {
        var tun = Netlink.CreateTun("tn0", TunMode.Tun);
        var tap = Netlink.CreateTun("tp0", TunMode.Tap, TunOptions.VnetHeader | TunOptions.MultiQueue, owner: Owner, group: Group);

        var tunData = TunData("tn0");
        Assert.Equal(("tun", false, false, false, true), (tunData.GetProperty("type").GetString(), tunData.GetProperty("pi").GetBoolean(),
            tunData.GetProperty("vnet_hdr").GetBoolean(), tunData.GetProperty("multi_queue").GetBoolean(), tunData.GetProperty("persist").GetBoolean()));
        var tapData = TunData("tp0");
        Assert.Equal(("tap", false, true, true, true, Owner, Group), (tapData.GetProperty("type").GetString(), tapData.GetProperty("pi").GetBoolean(),
            tapData.GetProperty("vnet_hdr").GetBoolean(), tapData.GetProperty("multi_queue").GetBoolean(), tapData.GetProperty("persist").GetBoolean(),
            tapData.GetProperty("user").GetUInt32(), tapData.GetProperty("group").GetUInt32()));

        Assert.Equal(("tn0", "tun", TunMode.Tun, TunOptions.None, true, (uint?)null), (tun.Name, tun.Kind, tun.Tun!.Mode, tun.Tun.Options, tun.Tun.Persistent, tun.Tun.Owner));
        var listed = Netlink.ListLinks().Single(link => link.Name == "tp0");
        Assert.Equal((tap.Index, "tun", TunMode.Tap, TunOptions.VnetHeader | TunOptions.MultiQueue, true, (uint?)Owner, (uint?)Group),
            (listed.Index, listed.Kind, listed.Tun!.Mode, listed.Tun.Options, listed.Tun.Persistent, listed.Tun.Owner, listed.Tun.Group));
        Assert.Equal("ether", Namespace.IpJson("link", "show", "dev", "tp0")[0].GetProperty("link_type").GetString());
        Assert.DoesNotContain(JsonDocument.Parse(TestNamespace.Run("ip", "-j", "link", "show")).RootElement.EnumerateArray(),
            link => link.GetProperty("ifname").GetString() is "tn0" or "tp0"); // the host's namespace is untouched
    }

    [Fact]
    public void APatternNameIsFilledInAndDeleteLinkRemovesTheDevice()
    {
        var tap = Netlink.CreateTun("nlt%d", TunMode.Tap, TunOptions.PacketInformation);
        Assert.Equal("nlt0", tap.Name);
        Assert.True(TunData("nlt0").GetProperty("pi").GetBoolean());

        Netlink.DeleteLink(tap);
        Assert.Empty(Namespace.IpJson("link", "show", "type", "tun").EnumerateArray());
    }

    [Fact]
    public void ATakenNameIsEbusyNamingTheDeviceAndTheStep()
    {
        Netlink.CreateTun("tn0", TunMode.Tun);
        CreateVethPair();
        var again = Assert.Throws<NetlinkException>(() => Netlink.CreateTun("tn0", TunMode.Tun));
        Assert.Equal("tn0: create tun: EBUSY (Device or resource busy)\n  detail: ioctl TUNSETIFF\n"
            + "  hint: a link with that name already exists; find it with FindLink, or delete it first", again.Message);
        Assert.Equal(Errno.EBUSY, Assert.Throws<NetlinkException>(() => Netlink.CreateTun("v0", TunMode.Tap)).Errno);
        Assert.Single(Namespace.IpJson("link", "show", "type", "tun").EnumerateArray()); // the first one, untouched
    }

    [Fact]
    public void WithoutDevNetTunTheErrorSaysHowToGetIt()
    {
        // A thread with a mount namespace of its own hides /dev/net under an empty tmpfs; the handle's short-lived
        // namespace thread, created by it, shares that view. The process's other threads keep theirs.
        NetlinkException? error = null;
        Exception? setUp = null;
        var thread = new Thread(() =>
        {
            try
            {
                Check(unshare(CloneNewNs), "unshare(CLONE_NEWNS)");
                Check(mount("none", "/", null, MsRec | MsPrivate, 0), "mount --make-rprivate /");
                Check(mount("tmpfs", "/dev/net", "tmpfs", 0, 0), "mount tmpfs /dev/net");
                error = Assert.Throws<NetlinkException>(() => Netlink.CreateTun("tn0", TunMode.Tun));
            }
            catch (Exception e)
            {
                setUp = e;
            }
        });
        thread.Start();
        thread.Join();

        Assert.Null(setUp);
        Assert.Equal("tn0: create tun: ENOENT (No such file or directory)\n  detail: open /dev/net/tun\n"
            + "  hint: /dev/net/tun is missing: load the tun module (modprobe tun), or create the node (mknod /dev/net/tun c 10 200)", error!.Message);
        Assert.True(File.Exists("/dev/net/tun"));
        Assert.Empty(Namespace.IpJson("link", "show", "type", "tun").EnumerateArray());
    }

    [Fact]
    public void ADisposedHandleRefusesAtOnce()
    {
        var handle = NetlinkHandle.OpenInNamespace(Namespace.Path);
        handle.Dispose();
        Assert.Throws<ObjectDisposedException>(() => handle.CreateTun("tn0", TunMode.Tun));
    }

    private const int CloneNewNs = 0x20000;
    private const ulong MsRec = 0x4000;
    private const ulong MsPrivate = 0x40000;

    private static void Check(int result, string call)
    {
        if (result < 0)
            throw new InvalidOperationException($"{call}: errno {Marshal.GetLastPInvokeError()}");
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int unshare(int flags);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int mount(string source, string target, string? type, ulong flags, nint data);
}
