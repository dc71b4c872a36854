using System.Globalization;
using Init.Interop;
using Init.Logging;
using Init.Spec;
using Init.Supervisor;

namespace Init.Cli;

/// <summary>
/// getopt-style parsing of the contract's options (docs/spec.md, "Command line"): <c>--opt=value</c>, <c>--opt value</c>,
/// <c>-xVALUE</c>, <c>-x VALUE</c>, clustered flags (<c>-vv</c>); parsing stops at <c>--</c> or the first non-option.
/// </summary>
internal static class CommandLine
{
    /// <summary>An option; <see cref="Apply"/> gets its value as the bytes given (empty for a flag).</summary>
    private sealed class Option(char? shortName, string longName, string? valueName, Action<Options, byte[]> apply, string help)
    {
        internal char? Short { get; } = shortName;
        internal string Long { get; } = longName;
        internal string? ValueName { get; } = valueName;
        internal Action<Options, byte[]> Apply { get; } = apply;
        internal string Help { get; } = help;
    }

    private static readonly Option[] All =
    [
        new('s', "spec", "PATH", (o, v) => o.SpecPath = ParseSpecPath(v), $"network spec (env INIT_SPEC; default {SpecLoader.DefaultPath})"),
        new(null, "check", null, (o, _) => o.Check = true, "validate the spec, print the plan, change nothing"),
        new('g', "group", null, (o, _) => o.Group = true, "forward signals to the workload's process group (env INIT_GROUP=1)"),
        new(null, "grace", "DURATION", (o, v) => o.Grace = ParseDuration("--grace", Text(v)), "SIGTERM→SIGKILL delay for leftovers at exit (env INIT_GRACE; default 3s)"),
        new('e', "remap-exit", "N", (o, v) => o.RemapExit.Add(ParseExitCode(Text(v))), "report exit code N as 0 (repeatable)"),
        new('r', "rewrite", "FROM:TO", (o, v) => AddRewrite(o, Text(v)), "forward signal FROM as TO, 0 drops it (repeatable; over [init].rewrite)"),
        new(null, "pause", null, (o, _) => o.Pause = true, "run no command: apply the spec, reap, exit 0 on TERM/INT (env INIT_PAUSE=1)"),
        new('p', "pdeathsig", "SIG", (o, v) => o.ParentDeathSignal = ParseParentDeathSignal(Text(v)), "signal to get when the init's parent dies"),
        new('v', "verbose", null, (o, _) => o.Verbosity++, "more logging: -v info, -vv debug (env INIT_LOG)"),
        new('q', "quiet", null, (o, _) => o.Quiet = true, "errors only"),
        new('V', "version", null, (o, _) => o.Version = true, "print the version and exit"),
        new('h', "help", null, (o, _) => o.Help = true, "print this help and exit"),
    ];

    /// <summary>
    /// Parses the arguments as the kernel passed them: options are ASCII, values (a spec path) and the command stay
    /// bytes, so whatever the container gave reaches the spec loader and the workload unchanged.
    /// </summary>
    internal static Options Parse(IReadOnlyList<byte[]> args)
    {
        var options = new Options();
        int index = 0;
        while (index < args.Count)
        {
            ReadOnlySpan<byte> arg = args[index];
            if (arg.SequenceEqual("--"u8))
            {
                index++;
                break;
            }
            if (arg.StartsWith("--"u8))
                index = ParseLong(arg[2..], args, index, options);
            else if (arg.Length > 1 && arg[0] == '-')
                index = ParseShortCluster(args[index], args, index, options);
            else
                break;
        }
        var command = new byte[args.Count - index][];
        for (int i = 0; i < command.Length; i++)
            command[i] = args[index + i];
        options.Command = command;
        return options;
    }

    /// <summary>Built when asked for (--help, a usage error): not on every start.</summary>
    internal static string Usage => BuildUsage();

    private static int ParseLong(ReadOnlySpan<byte> text, IReadOnlyList<byte[]> args, int index, Options options)
    {
        int equals = text.IndexOf((byte)'=');
        string name = Text(equals < 0 ? text : text[..equals]);
        Option option = Array.Find(All, o => o.Long == name) ?? throw new UsageException($"unknown option '--{name}'");
        if (option.ValueName is null)
        {
            if (equals >= 0) throw new UsageException($"option '--{name}' takes no value");
            option.Apply(options, []);
            return index + 1;
        }
        if (equals >= 0)
        {
            option.Apply(options, text[(equals + 1)..].ToArray());
            return index + 1;
        }
        option.Apply(options, ValueAfter(args, index, $"--{name}"));
        return index + 2;
    }

    private static int ParseShortCluster(byte[] arg, IReadOnlyList<byte[]> args, int index, Options options)
    {
        for (int at = 1; at < arg.Length; at++)
        {
            Option option = Array.Find(All, o => o.Short == arg[at])
                ?? throw new UsageException($"unknown option '-{Text(arg.AsSpan(at, 1))}'");
            if (option.ValueName is null)
            {
                option.Apply(options, []);
                continue;
            }
            if (at + 1 < arg.Length)
            {
                option.Apply(options, arg.AsSpan(at + 1).ToArray());
                return index + 1;
            }
            option.Apply(options, ValueAfter(args, index, $"-{option.Short}"));
            return index + 2;
        }
        return index + 1;
    }

    private static byte[] ValueAfter(IReadOnlyList<byte[]> args, int index, string name) =>
        index + 1 < args.Count ? args[index + 1] : throw new UsageException($"option '{name}' needs a value");

    /// <summary>An option's value as text, to parse (a number, a name) or to quote in a message.</summary>
    private static string Text(ReadOnlySpan<byte> value) => Printable.Of(value);

    private static byte[] ParseSpecPath(byte[] path) =>
        path.Length > 0 ? path : throw new UsageException("--spec: the path is empty");

    internal static TimeSpan ParseDuration(string source, string text) =>
        Duration.TryParse(text, out TimeSpan value) ? value
            : throw new UsageException($"{source}: invalid duration '{text}' (expected e.g. 250ms, 5s, 1m)");

    private static int ParseExitCode(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int code) && code <= 255 ? code
            : throw new UsageException($"--remap-exit: invalid exit code '{text}' (expected 0..255)");

    /// <summary>FROM:TO, each a name or number (TO may be 0); the same FROM twice is a mistake, not an override.</summary>
    private static void AddRewrite(Options options, string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
            throw new UsageException($"--rewrite: '{text}' is not FROM:TO (e.g. TERM:QUIT; TO 0 drops the signal)");
        if (SignalRewrite.ParseFrom(text[..colon], out int from) is { } fromError)
            throw new UsageException($"--rewrite: {fromError}");
        if (SignalRewrite.ParseTo(text[(colon + 1)..], out int to) is { } toError)
            throw new UsageException($"--rewrite: {toError}");
        if (!options.Rewrite.TryAdd(from, to))
            throw new UsageException($"--rewrite: {SignalNames.Name(from)} is rewritten twice");
    }

    /// <summary>Any signal the init can receive and act on; the rest would be accepted and then fail silently.</summary>
    private static int ParseParentDeathSignal(string text)
    {
        if (!SignalNames.TryParse(text, out int signal))
            throw new UsageException($"--pdeathsig: unknown signal '{text}'");
        return Signals.ParentDeathSignalProblem(signal) is { } problem
            ? throw new UsageException($"--pdeathsig: {SignalNames.Name(signal)} cannot be used: {problem}")
            : signal;
    }

    private static string BuildUsage()
    {
        var lines = new List<string>
        {
            "usage: init [OPTIONS] [--] [COMMAND [ARG...]]",
            "",
            "Runs COMMAND (default: [workload].command of the spec) as a container's PID 1: sets up the network from",
            "the spec, forwards signals, reaps zombies, stops leftovers with a grace period, exits with its status.",
            "",
            "options:",
        };
        foreach (Option option in All)
        {
            string names = (option.Short is char c ? $"-{c}, " : "    ") + "--" + option.Long
                + (option.ValueName is null ? "" : " " + option.ValueName);
            lines.Add($"  {names,-26} {option.Help}");
        }
        lines.Add("");
        lines.Add("exit status: the workload's (128+N if killed by signal N), 126/127 if it cannot be executed,");
        lines.Add("2 for a usage error or an invalid spec, 3 if the network setup failed.");
        return string.Join('\n', lines) + "\n";
    }
}
