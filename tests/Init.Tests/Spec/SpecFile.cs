using Init.Spec;
using Xunit;

namespace Init.Tests.Spec;

/// <summary>Writes TOML to a real temporary file and loads it the way init does.</summary>
internal sealed class SpecFile : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("init-spec-").FullName;

    internal string Path => System.IO.Path.Combine(_directory, "network.toml");

    internal SpecFile(string toml) => File.WriteAllText(Path, toml);

    internal SpecFile(byte[] bytes) => File.WriteAllBytes(Path, bytes);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    internal static InitSpec Load(string toml)
    {
        using var file = new SpecFile(toml);
        return SpecLoader.Load(file.Path, explicitlyNamed: true);
    }

    internal static InitSpec Load(byte[] bytes)
    {
        using var file = new SpecFile(bytes);
        return SpecLoader.Load(file.Path, explicitlyNamed: true);
    }

    /// <summary>The errors as "LINE:COL: key.path: message", without the temporary file's name.</summary>
    internal static string[] Errors(string toml) => Errors(new SpecFile(toml));

    /// <summary>The errors of a file of raw bytes, as <see cref="Errors(string)"/>.</summary>
    internal static string[] Errors(byte[] bytes) => Errors(new SpecFile(bytes));

    /// <summary>The exception, for tests of what is beyond the reported errors.</summary>
    internal static SpecException Failure(string toml)
    {
        using var file = new SpecFile(toml);
        return Assert.Throws<SpecException>(() => SpecLoader.Load(file.Path, explicitlyNamed: true));
    }

    private static string[] Errors(SpecFile created)
    {
        using SpecFile file = created;
        var failure = Assert.Throws<SpecException>(() => SpecLoader.Load(file.Path, explicitlyNamed: true));
        Assert.All(failure.Errors, error => Assert.Equal(file.Path, error.File));
        return [.. failure.Errors.Select(error => error.ToString()[(file.Path.Length + 1)..])];
    }

    /// <summary>The reference example of docs/spec.md ("The spec file"), verbatim: keep the two equal.</summary>
    internal const string ContractExample = """
        version = 1                       # optional; any other value is an error

        hostname = "api-1"                # optional: sethostname(2) and /etc/hostname

        [dns]                             # optional: writes /etc/resolv.conf
        nameservers = ["10.0.0.2", "2001:db8::53"]
        search      = ["svc.internal"]
        options     = ["ndots:2"]

        [hosts]                           # optional: writes /etc/hosts (localhost lines and the hostname line are always there)
        entries = [ { ip = "10.0.0.1", names = ["gw.internal"] } ]

        [loopback]                        # optional: lo is always brought up; these are extra addresses on lo
        addresses = ["169.254.169.254/32"]

        [[interface]]
        name   = "eth0"                   # match by name ...
        # match = { mac = "02:42:ac:11:00:02" }   # ... or by MAC: exactly one of the two
        rename = "wan0"                   # optional
        mac    = "02:00:00:00:00:10"      # optional: set the link's MAC
        mtu    = 1400                     # optional
        flush  = true                     # default true: addresses and routes on this link that the spec does not
                                          # list are removed (kernel-made IPv6 link-local and kernel routes stay)
        wait   = "none"                   # "none" (default) | "link" | "carrier" (waits for the link first)
        wait_timeout = "5s"
        addresses = ["10.0.0.10/24", "2001:db8::10/64"]   # short form: no DAD wait, broadcast automatic below /31

          [[interface.address]]           # long form, same list
          address = "192.0.2.2/32"
          peer    = "192.0.2.1/32"        # point-to-point
          dad     = false                 # true: wait (up to wait_timeout) until the address is no longer tentative

          [[interface.route]]
          to     = "default"              # "default" or a CIDR; family follows `via` for "default"
          via    = "10.0.0.1"
          metric = 100                    # optional
          [[interface.route]]
          to     = "default"
          via    = "fe80::1"              # IPv6 link-local gateway
          [[interface.route]]
          to     = "198.51.100.0/24"
          via    = "192.0.2.1"
          onlink = true                   # optional
          table  = 100                    # optional: "main" (default), "local", or 1..4294967295
          src    = "192.0.2.2"            # optional: preferred source, must be an address of this interface
          # scope = "link" | "global" | "host"   optional; default as iproute2 chooses

        [workload]                        # optional
        command = ["/app/server", "--port", "8080"]   # used when the command line gives none
        env     = { PORT = "8080" }       # added to the inherited environment
        workdir = "/app"
        user    = "app"                   # name, "uid", "uid:gid" or "name:group"; resolved from the image's
                                          # /etc/passwd and /etc/group (no NSS in a static binary)
        drop_capabilities = ["NET_ADMIN"] # default ["NET_ADMIN"]: removed from every capability set of the
                                          # workload (bounding, permitted, effective, inheritable, ambient).
                                          # ["ALL"] drops all; [] keeps what the container gave.
        no_new_privileges = false

        [init]                            # optional: the same settings as the command line
        group = false
        grace = "3s"
        remap_exit = [143]
        log = "info"
        """;
}
