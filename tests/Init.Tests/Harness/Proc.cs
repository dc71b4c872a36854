using System.Diagnostics;
using System.Text;

namespace Init.Tests.Harness;

/// <summary>What a finished process left behind.</summary>
public sealed record ProcResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>Everything it printed, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}

/// <summary>Assertions on a finished process.</summary>
public static class ProcResultAssertions
{
    /// <summary>Fails, showing everything the process printed, unless it exited with <paramref name="expected"/>.</summary>
    public static ProcResult AssertExit(this ProcResult result, int expected)
    {
        if (result.ExitCode != expected)
            Xunit.Assert.Fail($"expected exit {expected}, got {result}");
        return result;
    }
}

/// <summary>How to run a process.</summary>
public class ProcOptions
{
    /// <summary>Written to the process's stdin, which is then closed; null leaves stdin empty.</summary>
    public string? Stdin { get; init; }
    /// <summary>After this the whole process tree is killed and the run throws.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Variables to set (value) or remove (null) on top of the test's environment.</summary>
    public IDictionary<string, string?>? Env { get; init; }
    public string? WorkingDirectory { get; init; }
}

/// <summary>A started process whose output is collected in the background.</summary>
public sealed class RunningProc : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new(), _stderr = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _timeout;

    internal RunningProc(string file, IEnumerable<string> args, ProcOptions options)
    {
        // A container runtime starts PID 1 with every signal at its default. The test host (.NET) ignores SIGPIPE and
        // Process passes that on, and the init passes on what it is given: so every process starts through env with
        // SIGPIPE back at its default, as in a container (env execs, the pid is the same).
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = options.WorkingDirectory ?? "",
        };
        info.ArgumentList.Add("--default-signal=PIPE");
        info.ArgumentList.Add(file);
        foreach (string arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in options.Env ?? new Dictionary<string, string?>())
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        _timeout = options.Timeout;
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (options.Stdin != null) _process.StandardInput.Write(options.Stdin);
        _process.StandardInput.Close();
    }

    /// <summary>The pid in the test's (the host's) PID namespace.</summary>
    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Output so far (lines complete).</summary>
    public string StdoutSoFar { get { lock (_stdout) return _stdout.ToString(); } }
    public string StderrSoFar { get { lock (_stderr) return _stderr.ToString(); } }

    /// <summary>Waits for the exit; on timeout kills the whole tree and throws with the output so far.</summary>
    public ProcResult Wait()
    {
        TimeSpan left = _timeout - _clock.Elapsed;
        if (!_process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
        {
            Kill();
            throw new TimeoutException($"{string.Join(' ', _process.StartInfo.ArgumentList.Skip(1))} "
                + $"still running after {_timeout.TotalSeconds} s\n--- stdout\n{StdoutSoFar}--- stderr\n{StderrSoFar}");
        }
        _process.WaitForExit(); // drains the asynchronous readers
        return new ProcResult(_process.ExitCode, StdoutSoFar, StderrSoFar, _clock.Elapsed);
    }

    /// <summary>Kills the process and everything below it (only what this run started).</summary>
    public void Kill()
    {
        try { _process.Kill(entireProcessTree: true); _process.WaitForExit(5000); }
        catch (InvalidOperationException) { } // already gone
    }

    public void Dispose()
    {
        if (!_process.HasExited) Kill();
        _process.Dispose();
    }

    private static void Append(StringBuilder sink, string? line)
    {
        if (line is null) return;
        lock (sink) sink.Append(line).Append('\n');
    }
}

/// <summary>Runs processes with a deadline, capturing their output.</summary>
public static class Proc
{
    public static RunningProc Start(string file, IEnumerable<string> args, ProcOptions? options = null)
        => new(file, args, options ?? new ProcOptions());

    public static ProcResult Run(string file, IEnumerable<string> args, ProcOptions? options = null)
    {
        using var running = Start(file, args, options);
        return running.Wait();
    }

    /// <summary>Runs a setup command that must succeed (namespaces, links, docker): throws otherwise.</summary>
    public static string Must(string file, params string[] args)
    {
        ProcResult result = Run(file, args);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {result}");
        return result.Stdout;
    }
}
