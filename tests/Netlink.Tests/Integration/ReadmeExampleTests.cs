using Xunit;

namespace Netlink.Tests.Integration;

/// <summary>
/// The README's library example is samples/NetlinkExample, a plain console app that references netlink/: it
/// brings a veth up, addresses it and routes through it in a namespace; run twice (it converges), with a
/// namespace path that does not exist (one line, exit 1) and without CAP_SYS_ADMIN (the hint names it).
/// </summary>
[Trait("Needs", "root")]
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExampleRunsAsAStandaloneConsoleApp()
    {
        string app = Path.Combine(ReadmeSampleTests.RepositoryRoot(), "samples", "NetlinkExample");
        using var ns = new TestNamespace();
        string first = TestNamespace.Run("dotnet", "run", "--project", app, "-c", "Release", "--", ns.Path);
        string second = TestNamespace.Run("dotnet", "run", "--project", app, "-c", "Release", "--no-build", "--", ns.Path);

        var link = ns.IpJson("link", "show", "demo0").EnumerateArray().Single();
        foreach (var output in new[] { first, second })
        {
            Assert.Contains("demo0: 10.200.0.1/24", output);
            Assert.Contains($"route default via 10.200.0.2 dev #{link.GetProperty("ifindex").GetInt32()} metric 100 proto Static", output);
        }
        var route = ns.IpJson("route", "show", "default").EnumerateArray().Single();
        Assert.Equal("10.200.0.2", route.GetProperty("gateway").GetString());
        Assert.Equal("demo0", route.GetProperty("dev").GetString());
        Assert.Equal(1400, link.GetProperty("mtu").GetInt32());
        Assert.Contains("UP", link.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));

        // A namespace that does not exist: one line naming the path and the errno, exit 1, no stack trace.
        var missing = $"/run/netns/{ns.Name}-missing";
        var (exitCode, stdout, stderr) = RunExample([], app, missing);
        Assert.Equal((1, ""), (exitCode, stdout));
        Assert.Equal($"open network namespace {missing}: ENOENT (No such file or directory)\n", stderr);

        // Root without CAP_SYS_ADMIN cannot enter the namespace, and the hint names that capability.
        (exitCode, stdout, stderr) = RunExample(["setpriv", "--bounding-set", "-sys_admin", "--inh-caps", "-sys_admin", "--"], app, ns.Path);
        Assert.Equal((1, ""), (exitCode, stdout));
        Assert.Equal($"enter network namespace {ns.Path}: EPERM (Operation not permitted)\n  hint: entering a network namespace (setns) needs CAP_SYS_ADMIN\n", stderr);
    }

    private static (int ExitCode, string Stdout, string Stderr) RunExample(string[] wrapper, string app, string namespacePath)
    {
        string[] command = [.. wrapper, "dotnet", "run", "--project", app, "-c", "Release", "--no-build", "--", namespacePath];
        var start = new System.Diagnostics.ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command[1..])
            start.ArgumentList.Add(argument);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }
}

/// <summary>The README shows samples/NetlinkExample/Program.cs, character for character.</summary>
public class ReadmeSampleTests
{
    [Fact]
    public void TheReadmeShowsTheSampleProgram()
    {
        string root = RepositoryRoot();
        Assert.Equal(File.ReadAllText(Path.Combine(root, "samples", "NetlinkExample", "Program.cs")), ExampleFrom(Path.Combine(root, "README.md")));
    }

    /// <summary>The first C# block after the README's "The netlink library on its own" heading.</summary>
    private static string ExampleFrom(string readme)
    {
        string text = File.ReadAllText(readme);
        int section = text.IndexOf("## The netlink library on its own", StringComparison.Ordinal);
        Assert.True(section >= 0, "README has no section 'The netlink library on its own'");
        int start = text.IndexOf("```csharp\n", section, StringComparison.Ordinal) + "```csharp\n".Length;
        int end = text.IndexOf("```", start, StringComparison.Ordinal);
        return text[start..end];
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "init.sln")))
                return dir.FullName;
        throw new DirectoryNotFoundException("init.sln not found above " + AppContext.BaseDirectory);
    }
}
