using System.Diagnostics;
using System.Text.Json;

namespace Netlink.Tests.Integration;

/// <summary>
/// A throwaway network namespace (nlt-XXXXXXXX) with a handle inside it. All changes the tests make happen here,
/// never in the host's namespace. Dispose deletes the links it holds, then the namespace, also after failures.
/// </summary>
internal sealed class TestNamespace : IDisposable
{
    public TestNamespace()
    {
        Name = "nlt-" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..4]);
        Run("ip", "netns", "add", Name);
        try
        {
            Handle = NetlinkHandle.OpenInNamespace(Path);
        }
        catch
        {
            Run("ip", "netns", "del", Name);
            throw;
        }
    }

    public string Name { get; }

    public string Path => $"/run/netns/{Name}";

    public NetlinkHandle Handle { get; }

    /// <summary>Runs <c>ip -n NAME args</c> and returns its output.</summary>
    public string Ip(params string[] args) => Run("ip", ["-n", Name, .. args]);

    /// <summary>Runs <c>ip -n NAME -j args</c> and parses the JSON.</summary>
    public JsonElement IpJson(params string[] args) => JsonDocument.Parse(Ip(["-j", .. args])).RootElement;

    /// <summary>Runs a command inside the namespace.</summary>
    public string Exec(params string[] command) => Run("ip", ["netns", "exec", Name, .. command]);

    public void Dispose()
    {
        try
        {
            // Veths first: deleting the namespace while they exist races with re-creating their names.
            foreach (var link in Handle.ListLinks().Where(l => !l.Flags.HasFlag(LinkFlags.Loopback)))
            {
                try { Handle.DeleteLink(link.Index); } catch (NetlinkException) { } // the peer went with its pair
            }
        }
        finally
        {
            Handle.Dispose();
            Run("ip", "netns", "del", Name);
        }
    }

    internal static string Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {error}");
    }
}

/// <summary>Each test gets its own namespace, with a veth pair v0–v1 when it asks.</summary>
public abstract class NamespaceTest : IDisposable
{
    private protected TestNamespace Namespace { get; } = new();

    private protected NetlinkHandle Netlink => Namespace.Handle;

    private protected (Link V0, Link V1) CreateVethPair(bool up = false)
    {
        Netlink.CreateVeth("v0", "v1");
        if (up)
        {
            Netlink.SetLinkUp("v1");
            Netlink.SetLinkUp("v0");
        }
        return (Netlink.GetLink("v0"), Netlink.GetLink("v1"));
    }

    public void Dispose()
    {
        Namespace.Dispose();
        GC.SuppressFinalize(this);
    }
}
