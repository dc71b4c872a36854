using System.Text;
using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Spec;

/// <summary>Issue 7, item 4, black-box: out/init --check as PID 1 on hostile spec files answers briefly.</summary>
[Trait("Needs", "root")]
public class CheckScenarios
{
    [Fact]
    public void AMegabyteOfBinaryGarbageIsOneErrorLine()
    {
        using var dir = new TempDir();
        var garbage = new byte[1 << 20];
        new Random(11).NextBytes(garbage);
        File.WriteAllBytes(dir["spec.toml"], garbage);

        ProcResult result = Pid1.Run(["--check", "-s", dir["spec.toml"]]);

        result.AssertExit(2);
        string line = Assert.Single(Lines(result.Stderr));
        Assert.Contains($"{dir["spec.toml"]}:1:", line);
        Assert.Contains("toml: invalid UTF-8", line);
    }

    [Fact]
    public void AMegabyteOfTextGarbagePrintsTheFirstErrorsAndACount()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", string.Concat(Enumerable.Repeat("=\n", 500_000)));

        ProcResult result = Pid1.Run(["--check", "-s", spec]);

        result.AssertExit(2);
        string[] lines = Lines(result.Stderr);
        Assert.Equal(21, lines.Length);
        Assert.StartsWith($"init: error: {spec}:1:1: toml: ", lines[0]);
        Assert.Equal($"init: error: {spec}: … and 499980 more errors", lines[^1]);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void ControlCharactersFromTheSpecNeverReachTheLogRaw()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", $"hostname = \"x\\ninit: error: forged\\u001b[2J\"\n\"{new string('k', 100_000)}\\r\" = 1\n");

        ProcResult result = Pid1.Run(["--check", "-s", spec]);

        result.AssertExit(2);
        string[] lines = Lines(result.Stderr);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, line => Assert.StartsWith($"init: error: {spec}:", line));
        Assert.DoesNotContain('\u001b', result.Stderr);
        Assert.DoesNotContain('\r', result.Stderr);
        Assert.Contains("\"x\\ninit: error: forged\\x1b[2J\"", lines[0]);
        Assert.True(result.Stderr.Length < 1024, result.ToString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
