using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Netlink;

// Times the netlink library inside a namespace that bench.sh created (and cleans up).
// usage: NetlinkBench NETNS_PATH LINK OPERATION [COUNT]
//   add-addresses-each N | add-addresses-batch N | add-routes-each N | add-routes-batch N
//       one timed run, open to close; prints "<milliseconds> <objects>"
//   list-addresses | list-routes      one timed open + dump + close; prints "<milliseconds> <objects>"
//   open-request N                    N timed rounds of open + one GetLink + close; prints one millisecond value per line
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: NetlinkBench NETNS_PATH LINK OPERATION [COUNT]");
    return 2;
}
string namespacePath = args[0], linkName = args[1], operation = args[2];
int count = args.Length > 3 ? int.Parse(args[3]) : 1;

try
{
    switch (operation)
    {
        case "add-addresses-each": Report(Timed(netlink => Each(netlink, count, (link, i) => netlink.AddAddress(link, AddressNumber(i))))); break;
        case "add-addresses-batch": Report(Timed(netlink => Batched(netlink, count, (batch, link, i) => batch.AddAddress(link, AddressNumber(i))))); break;
        case "add-routes-each": Report(Timed(netlink => Each(netlink, count, (link, i) => netlink.AddRoute(RouteNumber(link, i))))); break;
        case "add-routes-batch": Report(Timed(netlink => Batched(netlink, count, (batch, link, i) => batch.AddRoute(RouteNumber(link, i))))); break;
        case "list-addresses": Report(Timed(netlink => netlink.ListAddresses(netlink.GetLink(linkName)).Count)); break;
        case "list-routes": Report(Timed(netlink => netlink.ListRoutes(AddressFamily.InterNetwork).Count)); break;
        case "open-request":
            for (int round = 0; round < count; round++)
                Console.WriteLine(Milliseconds(Timed(netlink => netlink.GetLink(linkName).Index).Elapsed));
            break;
        default:
            Console.Error.WriteLine($"NetlinkBench: unknown operation {operation}");
            return 2;
    }
    return 0;
}
catch (NetlinkException error)
{
    Console.Error.WriteLine($"NetlinkBench: {error.Message}");
    return 1;
}

// The clock runs from before the socket is opened to after it is closed, as for one `ip` command.
(TimeSpan Elapsed, int Objects) Timed(Func<NetlinkHandle, int> work)
{
    long start = Stopwatch.GetTimestamp();
    int objects;
    using (var netlink = NetlinkHandle.OpenInNamespace(namespacePath))
        objects = work(netlink);
    return (Stopwatch.GetElapsedTime(start), objects);
}

int Each(NetlinkHandle netlink, int n, Action<Link, int> add)
{
    var link = netlink.GetLink(linkName);
    for (int i = 0; i < n; i++)
        add(link, i);
    return n;
}

int Batched(NetlinkHandle netlink, int n, Action<NetlinkBatch, Link, int> queue)
{
    var link = netlink.GetLink(linkName);
    var batch = netlink.CreateBatch();
    for (int i = 0; i < n; i++)
        queue(batch, link, i);
    var failures = batch.Execute();
    if (failures.Count > 0)
        throw failures[0];
    return n;
}

// The same objects bench.sh gives `ip`: 10.200.1.1/32 … for addresses, 10.200.100.1/32 … for routes (250 per /24).
static IPAddress Nth(int thirdOctetBase, int i) => new([10, 200, (byte)(thirdOctetBase + i / 250), (byte)(1 + i % 250)]);

static InterfaceAddress AddressNumber(int i) => new(Nth(1, i), 32);

static Route RouteNumber(Link link, int i) => new(new IPNetwork(Nth(100, i), 32)) { OutputLinkIndex = link.Index };

static string Milliseconds(TimeSpan elapsed) => elapsed.TotalMilliseconds.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);

static void Report((TimeSpan Elapsed, int Objects) result) => Console.WriteLine($"{Milliseconds(result.Elapsed)} {result.Objects}");
