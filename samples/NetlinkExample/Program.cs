using System.Net;
using System.Net.Sockets;
using Netlink;

var namespacePath = args.Length > 0 ? args[0] : "/run/netns/demo";

try
{
    // The socket is created inside the namespace; this thread stays where it is.
    using var netlink = NetlinkHandle.OpenInNamespace(namespacePath, timeout: TimeSpan.FromSeconds(2));

    // A veth pair: demo0 is "our" side, demo1 stands in for the other end of the cable. Created only when
    // missing, so a second run finds the first run's pair.
    if (netlink.FindLink("demo0") is null)
        netlink.CreateVeth("demo0", "demo1");
    var link = netlink.GetLink("demo0");
    netlink.SetMtu(link, 1400);

    // Replace = create or update: running this twice converges instead of failing with EEXIST.
    netlink.ReplaceAddress(link, InterfaceAddress.Parse("10.200.0.1/24"));        // broadcast .255 added for you
    netlink.ReplaceAddress(link, new InterfaceAddress(IPAddress.Parse("fd00:200::1"), 64)
    {
        Flags = AddressFlags.NoDad,                 // usable at once, no duplicate address detection
    });

    netlink.SetLinkUp("demo1");
    netlink.SetLinkUp(link);
    netlink.WaitForCarrier(link, TimeSpan.FromSeconds(5));

    netlink.ReplaceRoute(new Route(Route.DefaultIPv4)
    {
        Gateway = IPAddress.Parse("10.200.0.2"),
        OutputLinkIndex = link.Index,
        Metric = 100,
        Protocol = RouteProtocol.Static,            // a distinctive protocol marks the routes as ours
    });

    foreach (var address in netlink.ListAddresses(link))
        Console.WriteLine($"{link.Name}: {address}{(address.IsTentative ? " (tentative)" : "")}");
    foreach (var route in netlink.ListRoutes(AddressFamily.InterNetwork))
        Console.WriteLine($"route {route} proto {route.Protocol}");
}
catch (NetlinkException error)
{
    // e.g. "open network namespace /run/netns/nope: ENOENT (No such file or directory)", or
    //      "demo0: replace route default via 10.200.9.1 metric 100: ENETUNREACH (Network is unreachable)
    //         kernel: Nexthop has invalid gateway
    //         hint: 10.200.9.1 is not inside any address prefix on demo0; add that address first, or make the route onlink ..."
    Console.Error.WriteLine(error.Message);
    return 1;
}
return 0;
