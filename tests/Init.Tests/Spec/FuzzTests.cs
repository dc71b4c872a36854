using System.Text;
using Init.Network;
using Init.Plan;
using Init.Spec;
using Xunit;
using Xunit.Abstractions;

namespace Init.Tests.Spec;

/// <summary>
/// PID 1 reads this file: whatever is in it, the loader answers with a spec or a SpecException, never with
/// another exception. Mutates valid specs (byte flips, truncation, inserted garbage and TOML tokens, dropped
/// and repeated lines) with a fixed seed and a fresh one; each is printed and INIT_FUZZ_SEED replays it.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 4000;

    private static readonly string[] Seeds =
    [
        SpecFile.ContractExample,
        """
        [[interface]]
        match = { mac = "02:42:ac:11:00:02" }
        wait = "carrier"
        [[interface.address]]
        address = "2001:db8::10/64"
        dad = true
        [[interface.route]]
        to = "::/0"
        via = "fe80::1"
        table = "local"
        [hosts]
        entries = [{ ip = "::1", names = ["a.b"] }]
        [workload]
        env = { A = "1", "b.c" = "2" }
        """,
    ];

    private static readonly string[] Tokens =
    [
        "[[", "]]", "[", "]", "{", "}", "=", ",", ".", "\"", "'", "'''", "\"\"\"", "\n", "#", "\\u0000", "\\",
        "[[interface]]", "[[interface.route]]", "[interface]", "interface.", "0x7f", "1e999", "nan", "-inf",
        "99999999999999999999", "-1", "1979-05-27T07:32:00Z", "true", "\"default\"", "\"::\"", "\"/\"", "\0", "\uFEFF",
    ];

    /// <summary>Well-formed values of the wrong type or range, to get past the parser into validation.</summary>
    private static readonly string[] Values =
    [
        "1", "0", "-1", "4294967296", "1.5", "true", "\"\"", "\"x\"", "[]", "[1]", "[\"a\", \"a\"]", "{}", "{ mac = 1 }",
        "1979-05-27", "\"default\"", "\"10.0.0.1\"", "\"10.0.0.1/24\"", "\"10.0.0.0/8\"", "\"fe80::1\"", "\"::/0\"",
        "\"2001:db8::1/64\"", "\"02:42:ac:11:00:02\"", "\"eth0\"", "\"lo\"", "\"5s\"", "\"main\"", "\"ALL\"",
        "[\"10.0.0.10/24\", \"10.0.0.10/16\"]", "[{ ip = \"10.0.0.1\", names = [] }]", "[{ to = \"default\" }]",
    ];

    /// <summary>The fresh case's seed: INIT_FUZZ_SEED when set (a replay), else a new one; printed either way.</summary>
    private static int FreshSeed() =>
        int.TryParse(Environment.GetEnvironmentVariable("INIT_FUZZ_SEED"), out int replay) ? replay : Random.Shared.Next();

    [Theory]
    [InlineData("fixed")]
    [InlineData("fresh")]
    public void MutatedSpecsNeverThrowAnythingButSpecException(string kind)
    {
        int seed = kind == "fixed" ? 20261127 : FreshSeed();
        output.WriteLine($"seed {seed} (replay: INIT_FUZZ_SEED={seed} dotnet test --filter MutatedSpecs)");
        using var file = new SpecFile("");
        var random = new Random(seed);
        int valid = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] input = Mutate(Encoding.UTF8.GetBytes(Seeds[i % Seeds.Length]), random);
            File.WriteAllBytes(file.Path, input);
            try
            {
                InitSpec spec = SpecLoader.Load(file.Path, explicitlyNamed: true);
                UseEverything(spec);
                valid++;
            }
            catch (SpecException failure)
            {
                Assert.NotEmpty(failure.Errors);
                Assert.All(failure.Errors, error => Assert.True(
                    error.Line >= 1 && error.Column >= 1 && !error.ToString().Any(char.IsControl), error.ToString()));
            }
            catch (Exception other)
            {
                Assert.Fail($"seed {seed} iteration {i}: {other}\ninput:\n{Encoding.UTF8.GetString(input)}");
            }
        }
        Assert.InRange(valid, 1, Iterations - 1); // the mutations reach both outcomes
    }

    /// <summary>What --check and the apply do with a valid spec must not throw either.</summary>
    private static void UseEverything(InitSpec spec)
    {
        foreach (PlanStep step in Planner.Plan(spec))
        {
            Assert.NotEmpty(step.Describe());
            if (step is WriteHosts hosts)
                EtcFiles.Hosts(hosts.Hostname ?? "host", hosts.HostnameAddress, hosts.Entries);
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        int mutations = random.Next(1, 6);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(9))
            {
                case 0: // flip a bit
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // truncate
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2: // random garbage, often invalid UTF-8
                    bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 8)).Select(_ => (byte)random.Next(256)));
                    break;
                case 3: // a TOML token where it does not belong
                    bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 4: // delete a span
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 40)));
                    break;
                case 5: // repeat a span (duplicate keys, tables, array items)
                    int length = Math.Min(bytes.Count - at, random.Next(1, 80));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                case 6: // replace a digit or letter with another, keeping the syntax plausible
                    if (char.IsAsciiLetterOrDigit((char)bytes[at]))
                        bytes[at] = (byte)"0123456789abcdefxyz:./-"[random.Next(23)];
                    break;
                default: // give a key a well-formed value of another kind
                    ReplaceValue(bytes, at, Values[random.Next(Values.Length)]);
                    break;
            }
        }
        return [.. bytes];
    }

    /// <summary>Replaces what follows the first " = " at or after <paramref name="at"/> up to the line's end.</summary>
    private static void ReplaceValue(List<byte> bytes, int at, string value)
    {
        int equals = bytes.FindIndex(at, b => b == (byte)'=');
        if (equals < 0)
            return;
        int end = bytes.FindIndex(equals, b => b == (byte)'\n');
        end = end < 0 ? bytes.Count : end;
        bytes.RemoveRange(equals + 1, end - equals - 1);
        bytes.InsertRange(equals + 1, Encoding.UTF8.GetBytes(" " + value));
    }
}
