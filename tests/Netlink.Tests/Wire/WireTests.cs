using System.Buffers.Binary;
using System.Net;
using Netlink.Rtnetlink;
using Netlink.Wire;
using Xunit;

namespace Netlink.Tests.Wire;

public class WireTests
{
    [Fact]
    public void AttributesArePaddedButTheirLengthIsNot()
    {
        var writer = new NetlinkWriter(stackalloc byte[64]);
        writer.BeginMessage(18, 1);
        writer.AddString(3, "v0");
        writer.AddU8(16, 6);
        var message = writer.ToMessage();
        Assert.Equal("20000000120001000000000000000000" + "07000300763000" + "00" + "05001000" + "06000000", Convert.ToHexStringLower(message));
    }

    [Fact]
    public void NestedLengthCoversAlignedChildren()
    {
        var writer = new NetlinkWriter(stackalloc byte[64]);
        writer.BeginMessage(16, 5);
        var nest = writer.BeginNested(18);
        writer.AddUnterminatedString(1, "dummy");
        writer.EndNested(nest);
        var message = writer.ToMessage();
        Assert.Equal(16, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(16)));
        Assert.Equal(9, BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(20)));
        Assert.Equal(32, message.Length);
    }

    [Fact]
    public void WriterRefusesToOverflowItsBuffer()
    {
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new NetlinkWriter(stackalloc byte[20]);
            writer.BeginMessage(16, 5);
            writer.AddU32(4, 1400);
        });
    }

    [Fact]
    public void ReaderMasksNestedAndByteOrderFlags()
    {
        var reader = new AttributeReader([8, 0, 0x12, 0x80, 1, 0, 0, 0, 8, 0, 0x05, 0x40, 10, 0, 0, 1]);
        Assert.True(reader.TryRead(out var nested));
        Assert.Equal(0x12, nested.Type);
        Assert.True(reader.TryRead(out var address));
        Assert.Equal(5, address.Type);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), address.GetAddress());
        Assert.False(reader.TryRead(out _));
    }

    [Fact]
    public void TrailingBytesShorterThanAnAttributeHeaderArePadding()
    {
        var reader = new AttributeReader([5, 0, 1, 0, 7, 0, 0]);
        Assert.True(reader.TryRead(out var attribute));
        Assert.Equal(7, attribute.GetU8());
        Assert.False(reader.TryRead(out _));
    }

    [Theory]
    [InlineData(new byte[] { 3, 0, 1, 0 })]          // nla_len below the header size
    [InlineData(new byte[] { 9, 0, 1, 0, 1, 2, 3, 4 })] // nla_len past the end
    public void BadAttributeLengthsAreProtocolErrors(byte[] bytes) =>
        Assert.Throws<NetlinkProtocolException>(() => new AttributeReader(bytes).TryRead(out _));

    [Fact]
    public void ReadingAWiderIntegerThanTheAttributeHoldsIsAProtocolError()
    {
        byte[] mtuAsU16 = [6, 0, 4, 0, 0xdc, 0x05, 0, 0];
        Assert.Equal(0x5dc, First(mtuAsU16).GetU16());
        var error = Assert.Throws<NetlinkProtocolException>(() => First(mtuAsU16).GetU32());
        Assert.Contains("needs 4", error.Detail);

        static NetlinkAttribute First(byte[] bytes)
        {
            var reader = new AttributeReader(bytes);
            Assert.True(reader.TryRead(out var attribute));
            return attribute;
        }
    }

    [Fact]
    public void AddressesMustBeFourOrSixteenBytes() =>
        Assert.Throws<NetlinkProtocolException>(() => IPBytes.Read([10, 0, 0, 1, 5]));

    [Theory]
    [InlineData(new byte[] { 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // nlmsg_len below 16
    [InlineData(new byte[] { 32, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })] // nlmsg_len past the end
    [InlineData(new byte[] { 1, 2, 3 })]                                           // shorter than a header
    public void BadMessageLengthsAreProtocolErrors(byte[] bytes) =>
        Assert.Throws<NetlinkProtocolException>(() => new MessageReader(bytes).TryRead(out _));

    [Fact]
    public void IPv4MappedAddressesAndPrefixesNormaliseToIPv4()
    {
        Assert.Equal(IPAddress.Parse("10.200.0.1"), IPBytes.Normalize(IPAddress.Parse("::ffff:10.200.0.1")));
        Assert.Equal(IPNetwork.Parse("10.200.0.0/24"), IPBytes.Normalize(IPNetwork.Parse("::ffff:10.200.0.0/120")));
        Assert.Equal(IPNetwork.Parse("10.200.0.0/24"), InterfaceAddress.Parse("::ffff:10.200.0.7/120").Network);
    }

    [Fact]
    public void AutomaticBroadcastDoesNotTouchTheCallersObject()
    {
        var address = InterfaceAddress.Parse("10.200.0.1/24");
        var message = AddressMessages.Add(1, address, replace: false);
        Assert.Null(address.Broadcast);
        Assert.Contains("080004000ac800ff", Convert.ToHexStringLower(message), StringComparison.Ordinal);
        Assert.DoesNotContain("08000400", Convert.ToHexStringLower(AddressMessages.Add(1, InterfaceAddress.Parse("10.200.0.1/32"), replace: false)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sixteen-chars-xx")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("a b")]
    [InlineData("eth0:1")]
    public void InvalidLinkNamesAreRefusedBeforeSending(string name) =>
        Assert.Throws<ArgumentException>(() => LinkMessages.CreateDummy(name));

    [Theory]
    [InlineData("10.200.5.0/24", null, RouteType.Unicast, Scope.Link)]
    [InlineData("0.0.0.0/0", "10.200.0.1", RouteType.Unicast, Scope.Universe)]
    [InlineData("fd00:201::/64", null, RouteType.Unicast, Scope.Universe)]
    [InlineData("10.200.0.1/32", null, RouteType.Local, Scope.Host)]
    [InlineData("10.200.99.0/24", null, RouteType.Blackhole, Scope.Universe)]
    public void ScopeDefaultsFollowIproute2(string destination, string? gateway, RouteType type, Scope expected) =>
        Assert.Equal(expected, new Route(IPNetwork.Parse(destination)) { Gateway = gateway is null ? null : IPAddress.Parse(gateway), Type = type }.EffectiveScope);

    [Fact]
    public void GatewayOfAnotherFamilyIsRefused() =>
        Assert.Throws<ArgumentException>(() => RouteMessages.Add(new Route(Route.DefaultIPv4) { Gateway = IPAddress.Parse("fd00:200::1") }, replace: false));

    [Fact]
    public void ErrnoNamesCoverTheTable()
    {
        Assert.Equal(["EPERM", "EEXIST", "ENODEV", "EOPNOTSUPP", "ENETUNREACH", "EHOSTUNREACH", "EHWPOISON", "ENOTSUPP", "E41"],
            new[] { 1, 17, 19, 95, 101, 113, 133, 524, 41 }.Select(Errno.Name));
        Assert.Equal("Network is unreachable", Errno.Describe(Errno.ENETUNREACH));
    }
}
