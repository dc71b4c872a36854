using System.Runtime.InteropServices;

using Init.Interop;
using Init.Logging;
using Init.Privileges;

namespace Init.Supervisor;

/// <summary>
/// What to start and how: the argv, the full environment, what the child gets back from the container, and the
/// credentials it runs with.
/// </summary>
internal sealed class Launch(
    IReadOnlyList<byte[]> argv,
    EnvironmentBlock environment,
    byte[] workdir,
    SignalSet mask,
    SignalSet keptIgnored,
    WorkloadCredentials credentials)
{
    internal IReadOnlyList<byte[]> Argv { get; } = argv;
    internal EnvironmentBlock Environment { get; } = environment;
    internal byte[] Workdir { get; } = workdir;
    internal SignalSet Mask { get; } = mask;
    internal SignalSet KeptIgnored { get; } = keptIgnored;
    internal WorkloadCredentials Credentials { get; } = credentials;
}

/// <summary>
/// The workload could not be started; <see cref="ExitCode"/> is 127 (not found) or 126 (anything else: the
/// contract's "cannot execute", also when a process limit leaves no room for it, since nothing of it ran).
/// </summary>
internal sealed class SpawnException(string what, int errno)
    : Exception($"{what}: {LibcErrno.Text(errno)} ({LibcErrno.Name(errno)}){(errno == LibcErrno.EAGAIN ? ProcessLimit.Reached() : "")}")
{
    internal static SpawnException CannotExecute(byte[] path, int errno) =>
        new($"cannot execute {(path.Length > 0 ? Printable.Of(path) : "\"\"")}", errno);

    internal static SpawnException CannotLowerPrivileges(string operation, int errno) =>
        new($"cannot give the workload its privileges: {operation}", errno);

    internal int ExitCode { get; } = errno is LibcErrno.ENOENT or LibcErrno.ENOTDIR ? ExitCodes.NotFound : ExitCodes.CannotExecute;
}

/// <summary>
/// Starts the workload through init/Native/spawn.c — never fork() in a multithreaded runtime, never
/// System.Diagnostics.Process (it would reap our children behind our back). The child gets its own process group,
/// the terminal's foreground when the init holds it, the container's signal mask and ignored signals (not .NET's
/// SIGPIPE), the descriptors the container passed in but none of the init's own, the workdir, and the workload's
/// credentials, which it lowers in itself: the init's own never change, and the init's main thread, which lives
/// as long as the init, is the workload's parent (PR_SET_PDEATHSIG follows the thread that created the child).
/// </summary>
internal static class Spawner
{
    private static readonly byte[] DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"u8.ToArray();

    /// <summary>Starts the workload and returns its pid; throws <see cref="SpawnException"/> if it cannot run.</summary>
    internal static unsafe int Spawn(Launch launch)
    {
        // Checked here: the child's chdir would report a missing workdir no differently, but this names no credential.
        if (FileKind.DirectoryError(launch.Workdir) is var error && error != 0)
            throw new SpawnException($"workdir {Printable.Of(launch.Workdir)}", error);
        List<byte[]> candidates = Candidates(launch.Argv[0], launch.Environment.Get("PATH"));
        int[] closed = Descriptors.OwnedByInit();
        uint[] groups = launch.Credentials.User?.Groups ?? [];
        bool takeTerminal = Terminal.HeldByInit();
        if (takeTerminal)
            Log.Debug("handing the terminal's foreground to the workload");
        using var strings = new NativeStrings();
        fixed (int* closeFds = closed)
        fixed (uint* groupList = groups)
        {
            var request = new NativeSpawn.Request
            {
                Candidates = strings.Array(candidates),
                Argv = strings.Array(launch.Argv),
                Envp = strings.Pointers(launch.Environment.Entries),
                Workdir = strings.One(launch.Workdir),
                CloseFds = closeFds,
                CloseCount = closed.Length,
                Groups = groupList,
                GroupCount = groups.Length,
                CandidateCount = candidates.Count,
                TakeTerminal = takeTerminal ? 1 : 0,
                SwitchUser = launch.Credentials.User is null ? 0 : 1,
                Uid = launch.Credentials.User?.Uid ?? 0,
                Gid = launch.Credentials.User?.Gid ?? 0,
                NoNewPrivileges = launch.Credentials.NoNewPrivileges ? 1 : 0,
                DroppedCapabilities = launch.Credentials.DroppedCapabilities,
                KeptIgnored = launch.KeptIgnored.Bits,
                Mask = launch.Mask.Bits,
            };
            NativeSpawn.Failure failure;
            int pid = NativeSpawn.Spawn(&request, &failure);
            return pid > 0 ? pid : throw Failed(failure, launch, candidates);
        }
    }

    private static SpawnException Failed(NativeSpawn.Failure failure, Launch launch, List<byte[]> candidates) => failure.Step switch
    {
        NativeSpawn.Step.Exec => SpawnException.CannotExecute(failure.Detail >= 0 ? candidates[failure.Detail] : launch.Argv[0], failure.Error),
        // No process for the workload: pids.max or RLIMIT_NPROC (EAGAIN names the limit).
        NativeSpawn.Step.Clone => SpawnException.CannotExecute(launch.Argv[0], failure.Error),
        NativeSpawn.Step.Workdir => new SpawnException($"workdir {Printable.Of(launch.Workdir)}", failure.Error),
        NativeSpawn.Step.Pipe => new SpawnException("cannot start the workload: pipe2", failure.Error),
        NativeSpawn.Step.SetProcessGroup => new SpawnException("cannot start the workload: setpgid", failure.Error),
        NativeSpawn.Step.TakeTerminal => new SpawnException("cannot start the workload: tcsetpgrp", failure.Error),
        var step => SpawnException.CannotLowerPrivileges(
            PrivilegeSteps.Describe(step, failure.Detail, launch.Credentials) ?? $"step {step}", failure.Error),
    };

    /// <summary>
    /// execvp's search, on bytes: a name without '/' is looked up in the workload's PATH (the first PATH entry,
    /// as getenv finds it); EACCES on one entry does not stop it. An empty name is nothing to look up (ENOENT),
    /// not each PATH directory itself.
    /// </summary>
    internal static List<byte[]> Candidates(byte[] command, byte[]? path)
    {
        if (command.Length == 0)
            return [];
        if (command.Contains((byte)'/'))
            return [command];
        var candidates = new List<byte[]>();
        ReadOnlySpan<byte> directories = path ?? DefaultPath;
        foreach (Range entry in directories.Split((byte)':'))
        {
            ReadOnlySpan<byte> dir = directories[entry];
            candidates.Add(dir.IsEmpty ? command : [.. dir.TrimEnd((byte)'/'), (byte)'/', .. command]);
        }
        return candidates;
    }

    /// <summary>NUL-terminated native copies of byte strings, freed together.</summary>
    private sealed unsafe class NativeStrings : IDisposable
    {
        private readonly List<nint> _blocks = [];

        internal byte* One(ReadOnlySpan<byte> bytes)
        {
            var block = (byte*)NativeMemory.AllocZeroed((nuint)bytes.Length + 1);
            _blocks.Add((nint)block);
            bytes.CopyTo(new Span<byte>(block, bytes.Length));
            return block;
        }

        internal byte** Array(IReadOnlyList<byte[]> strings)
        {
            var array = (byte**)NativeMemory.AllocZeroed((nuint)(strings.Count + 1), (nuint)sizeof(nint));
            _blocks.Add((nint)array);
            for (int i = 0; i < strings.Count; i++) array[i] = One(strings[i]);
            return array;
        }

        /// <summary>A NULL-terminated array of strings that are already native (the environment's).</summary>
        internal byte** Pointers(IReadOnlyList<nint> strings)
        {
            var array = (byte**)NativeMemory.Alloc((nuint)(strings.Count + 1), (nuint)sizeof(nint));
            _blocks.Add((nint)array);
            for (int i = 0; i < strings.Count; i++) array[i] = (byte*)strings[i];
            array[strings.Count] = null;
            return array;
        }

        public void Dispose()
        {
            foreach (nint block in _blocks) NativeMemory.Free((void*)block);
        }
    }
}
