using System.Net;

namespace Init.Spec;

/// <summary>
/// Reads the top-level <c>[[route]]</c>s: <c>type</c> "blackhole", "unreachable", "prohibit" or "throw" — routes
/// that go through no interface and no gateway — with <c>to</c>, <c>table</c> and <c>metric</c> as interface routes.
/// </summary>
internal static class LinklessRouteSection
{
    private static readonly Dictionary<string, RouteKind> Kinds = new()
    {
        ["blackhole"] = RouteKind.Blackhole,
        ["unreachable"] = RouteKind.Unreachable,
        ["prohibit"] = RouteKind.Prohibit,
        ["throw"] = RouteKind.Throw,
    };

    internal static List<RouteSpec> Read(TableReader root, List<InterfaceSpec> interfaces)
    {
        // The kernel keys a route by destination, table and metric, whatever its type or link: one key, one route.
        var seen = new Dictionary<RouteKey, string>();
        foreach (InterfaceSpec link in interfaces)
            foreach (RouteSpec route in link.Routes)
                seen.TryAdd(RouteSection.KeyOf(route), $"a route of {link.FinalName}");
        var routes = new List<RouteSpec>();
        foreach (TableReader table in root.Tables("route") ?? [])
        {
            if (Route(table) is not { } route)
                continue;
            if (!seen.TryAdd(RouteSection.KeyOf(route), table.Path))
                table.Errors.Add(table.At, table.Path, $"same destination, table and metric as {seen[RouteSection.KeyOf(route)]}: the kernel keeps only one");
            routes.Add(route);
        }
        return routes;
    }

    private static RouteSpec? Route(TableReader route)
    {
        IPNetwork? to = RouteSection.Destination(route, null);
        RouteKind? kind = null;
        if (route.String("type") is { } text)
        {
            if (text.Value == "unicast")
                route.Errors.Add(text.At, text.Path, "a unicast route goes through an interface: write it under [[interface.route]]");
            else
                kind = TableReader.AsChoice(text, Kinds, route.Errors);
        }
        else if (!route.Has("type"))
            route.Error("type", "missing: \"blackhole\", \"unreachable\", \"prohibit\" or \"throw\" (a route through an interface is an [[interface.route]])");
        long? metric = route.Integer("metric", 0, uint.MaxValue);
        uint table = RouteSection.Table(route);
        foreach (string key in new[] { "via", "nexthops", "src", "onlink", "scope" })
            if (route.Node(key) is { } node)
                route.Errors.Add(node.At, route.PathOf(key), "a top-level [[route]] goes through no interface: it has no gateway, source or scope");
        route.RejectUnknownKeys();
        return to is { } destination && kind is { } k
            ? new RouteSpec(destination, null, (uint?)metric, table, null, null, false) { Kind = k }
            : null;
    }
}
