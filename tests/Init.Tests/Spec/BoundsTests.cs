using System.Text;
using Init.Spec;
using Xunit;

namespace Init.Tests.Spec;

/// <summary>
/// Issue 7, item 4: whatever the file, the loader's work and output are bounded: validation is linear in the
/// spec, at most <see cref="SpecErrors.MaxReported"/> errors are kept, and echoed input is cut and escaped.
/// </summary>
public class BoundsTests
{
    /// <summary>Far beyond the milliseconds this takes; only a quadratic pass (seconds to minutes) trips it.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public void TenThousandRoutesWithGatewaysValidate()
    {
        InitSpec spec = LoadWithin(ManyRoutes(10_000, withGateway: true));

        Assert.Equal(10_000, spec.Network!.Interfaces[0].Routes.Count);
    }

    [Fact]
    public void SixteenThousandGatewayLessRoutesValidate()
    {
        InitSpec spec = LoadWithin(ManyRoutes(16_000, withGateway: false));

        Assert.Equal(16_000, spec.Network!.Interfaces[0].Routes.Count);
    }

    [Fact]
    public void GatewaysReachableOnlyThroughADeviceRouteStillValidate()
    {
        // The device routes are in table 100 and main; the gateways in 100 and main reach through them.
        InitSpec spec = SpecFile.Load("""
            [[interface]]
            name = "eth0"
            [[interface.route]]
            to = "198.51.100.0/24"
            table = 100
            [[interface.route]]
            to = "203.0.113.0/24"
            [[interface.route]]
            to = "192.0.2.0/24"
            via = "198.51.100.1"
            table = 100
            [[interface.route]]
            to = "192.0.2.0/24"
            via = "203.0.113.1"
            table = 200
            """);

        Assert.Equal(4, spec.Network!.Interfaces[0].Routes.Count);
        Assert.Equal(["14:7: interface[0].route[3].via: gateway 198.51.100.1 is not inside any prefix on eth0 (it has no IPv4 address); set onlink = true if it is on the link"],
            SpecFile.Errors("""
            [[interface]]
            name = "eth0"
            [[interface.route]]
            to = "198.51.100.0/24"
            table = 100
            [[interface.route]]
            to = "203.0.113.0/24"
            [[interface.route]]
            to = "192.0.2.0/24"
            via = "203.0.113.1"
            table = 100
            [[interface.route]]
            to = "192.0.2.0/24"
            via = "198.51.100.1"
            table = 200
            """));
    }

    [Fact]
    public void OnlyTheFirstErrorsByPositionAreKeptAndTheRestCounted()
    {
        // Found in this order: the unknown keys (in file order), then the bad hostname at 1:12 last of all.
        var toml = new StringBuilder("hostname = \"-\"\n");
        for (int i = 0; i < 5_000; i++)
            toml.Append($"unknown{i} = 1\n");

        SpecException failure = SpecFile.Failure(toml.ToString());

        Assert.Equal(SpecErrors.MaxReported, failure.Errors.Count);
        Assert.Equal(5_001 - SpecErrors.MaxReported, failure.Omitted);
        Assert.Equal((1, 12), (failure.Errors[0].Line, failure.Errors[0].Column));
        Assert.Equal(Enumerable.Range(2, SpecErrors.MaxReported - 1), failure.Errors.Skip(1).Select(error => error.Line));
        Assert.EndsWith($": … and {5_001 - SpecErrors.MaxReported} more errors", failure.Lines.Last());
        Assert.Equal(SpecErrors.MaxReported + 1, failure.Lines.Count());
    }

    [Fact]
    public void BinaryGarbageIsOneError()
    {
        var garbage = new byte[1 << 20];
        new Random(7).NextBytes(garbage);

        string error = Assert.Single(SpecFile.Errors(garbage));
        Assert.Contains("toml: invalid UTF-8", error);
    }

    [Fact]
    public void PrintableGarbageKeepsTheErrorCountBounded()
    {
        const string alphabet = "[]{}=,.\"'#\n abc1";
        var random = new Random(7);
        string garbage = new([.. Enumerable.Range(0, 1 << 20).Select(_ => alphabet[random.Next(alphabet.Length)])]);

        SpecException failure = SpecFile.Failure(garbage);

        Assert.InRange(failure.Errors.Count, 1, SpecErrors.MaxReported);
        Assert.All(failure.Lines, line => Assert.True(line.Length < 1024, line));
    }

    [Fact]
    public void AHugeKeyIsEchoedCut()
    {
        string key = new('k', 900_000);

        string error = Assert.Single(SpecFile.Errors($"{key} = 1\n"));

        Assert.StartsWith($"1:1: {new string('k', 160)}…: unknown key", error);
    }

    [Fact]
    public void AHugeValueIsEchoedCutAndTheExplanationKept()
    {
        string value = new('v', 900_000);

        string error = Assert.Single(SpecFile.Errors($"[[interface]]\nname = \"{value}\"\n"));

        Assert.Equal($"2:8: interface[0].name: \"{new string('v', SpecErrors.MaxEchoed)}…\" is not a link name: it must be 1 to 15 bytes", error);
    }

    [Theory]
    [InlineData("hostname = \"\\u001b[31mred\"", "1:12: hostname: \"\\x1b[31mred\" is not a valid name: it contains U+001B (letters, digits, '-' and '.' only)")]
    [InlineData("hostname = \"a\\r\\nb\"", "1:12: hostname: \"a\\r\\nb\" is not a valid name: it contains U+000D (letters, digits, '-' and '.' only)")]
    [InlineData("hostname = \"a\\u202Eb\"", "1:12: hostname: \"a\\u202eb\" is not a valid name: it contains '\\u202e' (letters, digits, '-' and '.' only)")]
    [InlineData("\"a\\nb\" = 1", "1:1: a\\nb: unknown key")]
    public void ControlAndInvisibleCharactersAreEscaped(string toml, string expected) =>
        Assert.Equal([expected], SpecFile.Errors(toml));

    private static InitSpec LoadWithin(string toml)
    {
        Task<InitSpec> load = Task.Run(() => SpecFile.Load(toml));
        Assert.True(load.Wait(HangGuard), $"validation took longer than {HangGuard}");
        return load.Result;
    }

    /// <summary>One interface, one /16 address; <paramref name="count"/> distinct /32 routes, via an on-link gateway or not.</summary>
    internal static string ManyRoutes(int count, bool withGateway)
    {
        var toml = new StringBuilder("[[interface]]\nname = \"eth0\"\naddresses = [\"10.200.0.2/16\"]\n");
        for (int i = 0; i < count; i++)
        {
            toml.Append($"[[interface.route]]\nto = \"198.{18 + i / 65536}.{i / 256 % 256}.{i % 256}/32\"\n");
            if (withGateway)
                toml.Append("via = \"10.200.0.1\"\n");
        }
        return toml.ToString();
    }
}
