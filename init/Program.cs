using System.Text;

using Init.Cli;
using Init.Interop;
using Init.Logging;
using Init.Machine;
using Init.Network;
using Init.Plan;
using Init.Privileges;
using Init.Spec;
using Init.Supervisor;

namespace Init;

/// <summary>Wiring: signals first, then command line, spec, and the workload under supervision.</summary>
internal static class Program
{
    /// <summary>
    /// A machine's PID 1 must not exit (the kernel would panic): it powers off with the same status instead.
    /// The arguments .NET passes in are ignored: it decodes them as UTF-8, where an init must pass on bytes
    /// (<see cref="StartupVectors"/>).
    /// </summary>
    private static int Main() => PowerOff.Finish(Start());

    private static int Start()
    {
        StartupVectors.MainStarted();
        // Before anything else: from here on no signal can take the init down or slip past the supervisor.
        Signals signals = Signals.TakeOver();
        try
        {
            Descriptors.RecordInherited();
            PowerOff.Detect(); // as early as possible: from here on every outcome of a machine's PID 1 is a power-off
            return Run(StartupVectors.Arguments(), signals);
        }
        catch (UsageException e)
        {
            Log.Error(e.Message);
            Log.WriteRaw(2, "Try 'init --help' for more information.\n");
            return ExitCodes.InvalidInput;
        }
        catch (UserLookupException e)
        {
            Log.Error(e.Message);
            return ExitCodes.InvalidInput;
        }
        catch (SpecException e)
        {
            foreach (string line in e.Lines) Log.Error(line);
            return ExitCodes.InvalidInput;
        }
        catch (NetworkSetupException e)
        {
            // Its message continues on indented kernel/detail/hint lines (SetupErrors).
            string[] lines = e.Message.Split(NetworkSetupException.DetailSeparator);
            Log.Error(lines[0], lines.AsSpan(1).ToArray());
            return ExitCodes.SetupFailed;
        }
        catch (SystemSetupException e)
        {
            Log.Error(e.Message);
            return ExitCodes.SetupFailed;
        }
        catch (SpawnException e)
        {
            Log.Error(e.Message);
            return e.ExitCode;
        }
        catch (Exception e)
        {
            // One line, never a stack trace (the binary has none: StackTraceSupport=false).
            Log.Error($"internal error before the workload started: {e.GetType().Name}: {e.Message}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>
    /// Docker's daemon runs its init with --version and reads " - git.COMMIT" after the first part (moby's
    /// parseInitVersion); the first part is ours, not tini's "tini version X".
    /// </summary>
    internal const string VersionLine = $"init {BuildInfo.Version} - git.{BuildInfo.Commit}\n";

    private static byte[][] Encoded(IReadOnlyList<string> command)
    {
        var encoded = new byte[command.Count][];
        for (int i = 0; i < encoded.Length; i++)
            encoded[i] = Encoding.UTF8.GetBytes(command[i]);
        return encoded;
    }

    private static int Run(List<byte[]> args, Signals signals)
    {
        Options options = CommandLine.Parse(args);
        if (options.Help)
        {
            Log.WriteRaw(1, CommandLine.Usage);
            return ExitCodes.Success;
        }
        if (options.Version)
        {
            Log.WriteRaw(1, VersionLine);
            return ExitCodes.Success;
        }
        // Copied here, not before: --version and --help (docker runs the former for every `docker info`) never read it.
        var environment = new EnvironmentBlock(StartupVectors.Environment());
        // Before anything slow (reading the spec, waiting for carrier): a parent that dies meanwhile must be noticed.
        BecomeSupervisor(options.ParentDeathSignal);
        Log.Level = EffectiveSettings.LogLevelFromCommandLine(options, environment.GetText) ?? Log.Level;
        (byte[] specPath, bool named) = EffectiveSettings.SpecPath(options, environment.Get);
        // A machine's PID 1 (a VM's) may be given its spec on the kernel command line.
        if (PowerOff.IsMachinePid1 && !named && KernelCommandLine.SpecPath() is { } kernelSpecPath)
            (specPath, named) = (Encoding.UTF8.GetBytes(kernelSpecPath), true);
        InitSpec spec = SpecLoader.Load(specPath, named, environment.Get);
        EffectiveSettings settings = EffectiveSettings.Resolve(options, environment.GetText, spec.Init);
        Log.Level = settings.LogLevel;
        // The user is resolved with the rest of the validation: an unknown one stops the init before any change.
        WorkloadCredentials credentials = WorkloadCredentials.Resolve(spec.Workload, "/",
            environment.GetText("HOME"), Libc.getuid());
        if (options.Check)
        {
            var plan = new StringBuilder();
            foreach (PlanStep step in Planner.Plan(spec))
                plan.Append(step.Describe()).Append('\n');
            Log.WriteRaw(1, plan.ToString());
            return ExitCodes.Success;
        }
        IReadOnlyList<byte[]> command = options.Command.Count > 0 ? options.Command
            : Encoded(spec.Workload.Command ?? []);
        if (settings.Pause && command.Count > 0)
            throw new UsageException("pause mode runs no command: remove COMMAND (or [workload].command), or the pause");
        if (command.Count == 0 && !settings.Pause)
        {
            Log.Error("no command given and the spec has no [workload].command");
            Log.WriteRaw(2, CommandLine.Usage);
            return ExitCodes.InvalidInput;
        }
        if (spec.System is not null)
            SystemSetup.Apply(spec.System);
        // Only a network set-up can wait (carrier, DAD, the kernel): only then is a thread worth watching for stops.
        ReceivedSignal? stopDuringSetUp = spec.Network is null
            ? null
            : StopWatcher.Run(cancellation => PlanExecutor.Apply(spec, cancellation));
        ReportStartupState(signals);

        // The workload starts where the container said (its workdir, else the init's start-up cwd); the init
        // itself moves to / first, so it pins no mount and is already there when the workload looks.
        byte[] workdir = spec.Workload.Workdir is { } specWorkdir ? Encoding.UTF8.GetBytes(specWorkdir) : CurrentDirectory();
        LeaveWorkingDirectory();
        if (credentials.User is { } user)
            Log.Info($"workload runs as {user}");
        if ((stopDuringSetUp ?? Signals.TakeQueued(Signals.StopRequests)) is { } stop && !stop.RaisedBy(Libc.getpid()))
        {
            // docker stop (or Ctrl-C) during the set-up: starting the workload now would only be to kill it. The set-up
            // ended at the first one; what it had applied stays (the next start converges it anyway).
            Log.Warn($"{stop} before the {(settings.Pause ? "pause" : "workload")} started: not starting it");
            // As if the workload had been killed by it; a pause ends with 0 on a stop at any time.
            return settings.Pause ? ExitCodes.Success : settings.ExitCodeFor(ExitCodes.KilledBy(stop.Signal));
        }
        if (settings.Pause)
        {
            Log.Info("pausing: no workload; TERM or INT ends the init");
            OomScore.ProtectInit();
            return new PauseMode(settings.Grace).Run();
        }
        Log.Info($"starting {Printable.Join(command)}");
        ApplyWorkloadEnvironment(environment, spec.Workload, credentials.Home);
        int pid = Spawner.Spawn(new Launch(command, environment, workdir,
            signals.ContainerMask, signals.ContainerIgnored, credentials));
        Log.Debug($"workload is pid {pid}");
        OomScore.ProtectInit();
        int code = new WorkloadSupervisor(pid, settings.Group, settings.Grace)
        {
            Machine = PowerOff.IsMachinePid1,
            Rewrite = settings.Rewrite,
        }.Run();
        int reported = settings.ExitCodeFor(code);
        // Two calls, not one of a conditional: that would be a plain string, formatted even when not shown.
        if (reported == code)
            Log.Info($"exiting with {code}");
        else
            Log.Info($"exiting with 0 (workload's {code} remapped)");
        return reported;
    }

    /// <summary>Not PID 1 (run on a host, or `docker run --pid=host`): orphans must still come to us to be reaped.</summary>
    private static void BecomeSupervisor(int? parentDeathSignal)
    {
        if (Libc.getpid() != 1)
            LibcErrno.Check(Libc.prctl(Libc.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), "prctl(PR_SET_CHILD_SUBREAPER)");
        if (parentDeathSignal is int signal)
            LibcErrno.Check(Libc.prctl(Libc.PR_SET_PDEATHSIG, (nuint)signal, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)");
    }

    private static unsafe void LeaveWorkingDirectory()
    {
        fixed (byte* root = "/"u8)
            if (Libc.chdir(root) != 0) Log.Warn("chdir /: failed");
    }

    private static List<int> Sorted(IReadOnlyList<int> descriptors)
    {
        var sorted = new List<int>(descriptors);
        sorted.Sort();
        return sorted;
    }

    private static void ReportStartupState(Signals signals)
    {
        if (Log.Shows(LogLevel.Debug))
        {
            string unlisted = Descriptors.ListingError == LibcErrno.ENOENT ? "no /proc"
                : $"cannot list /proc/self/fd ({LibcErrno.Describe(Descriptors.ListingError)})";
            Log.Debug(Descriptors.Inherited is { } inherited
                ? $"descriptors passed in: {string.Join(',', Sorted(inherited))}"
                : $"{unlisted}: the workload's descriptors rely on close-on-exec alone");
            Log.Debug($"container mask: {signals.ContainerMask}; ignored: {signals.ContainerIgnored}");
        }
    }

    /// <summary>
    /// The container's environment as it came, in order, with the switched-to user's HOME if it changes and
    /// [workload].env over both (see <see cref="EnvironmentBlock.Set"/> for duplicates).
    /// </summary>
    private static void ApplyWorkloadEnvironment(EnvironmentBlock environment, WorkloadSpec workload, string? home)
    {
        if (home is not null)
            environment.Set("HOME", Encoding.UTF8.GetBytes(home));
        foreach ((string name, string value) in workload.Env)
            environment.Set(name, Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The start-up working directory as bytes (Environment.CurrentDirectory would decode it).</summary>
    private static unsafe byte[] CurrentDirectory()
    {
        byte* buffer = stackalloc byte[4096];
        return Libc.getcwd(buffer, 4096) is not null
            ? System.Runtime.InteropServices.MemoryMarshal.CreateReadOnlySpanFromNullTerminated(buffer).ToArray()
            : throw new ErrnoException("getcwd", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
    }
}
