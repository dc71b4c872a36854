using System.Runtime.InteropServices;

using Init.Interop;
using Init.Logging;
using Init.Privileges;

namespace Init.Supervisor;

/// <summary>
/// What to start and how: the argv, the full environment, what the child gets back from the container, and the
/// credentials it runs with.
/// </summary>
internal sealed record Launch(
    IReadOnlyList<byte[]> Argv,
    EnvironmentBlock Environment,
    byte[] Workdir,
    SignalSet Mask,
    SignalSet KeptIgnored,
    WorkloadCredentials Credentials);

/// <summary>
/// The workload could not be started; <see cref="ExitCode"/> is 127 (not found) or 126 (anything else: the
/// contract's "cannot execute", also when a process limit leaves no room for it, since nothing of it ran).
/// </summary>
internal sealed class SpawnException(string what, int errno)
    : Exception($"{what}: {LibcErrno.Text(errno)} ({LibcErrno.Name(errno)}){(errno == LibcErrno.EAGAIN ? ProcessLimit.Reached() : "")}")
{
    internal static SpawnException CannotExecute(byte[] path, int errno) =>
        new($"cannot execute {(path.Length > 0 ? Printable.Of(path) : "\"\"")}", errno);

    /// <summary>The runtime reports a failed pthread_create (EAGAIN under pids.max) as OutOfMemoryException.</summary>
    internal static SpawnException NoSpawnThread() => new("cannot start the workload: no thread to spawn it from", LibcErrno.EAGAIN);

    internal static SpawnException CannotLowerPrivileges(ErrnoException failure) =>
        new($"cannot give the workload its privileges: {failure.Operation}", failure.Number);

    internal int ExitCode { get; } = errno is LibcErrno.ENOENT or LibcErrno.ENOTDIR ? ExitCodes.NotFound : ExitCodes.CannotExecute;
}

/// <summary>
/// Starts the workload with posix_spawn — never fork() in a multithreaded runtime, never System.Diagnostics.Process
/// (it would reap our children behind our back). The child gets its own process group, the terminal's foreground
/// when the init holds it, the container's signal mask and ignored signals (not .NET's SIGPIPE), the descriptors
/// the container passed in but none of the init's own, and the workdir.
/// <para>
/// The spawn runs on a thread of its own: credentials are per thread in the kernel and the child copies the
/// calling thread's, so that thread can lower its own user, groups and capabilities with raw syscalls (glibc's
/// wrappers would change every thread) while the init's other threads keep theirs. The thread then parks
/// instead of exiting: Linux sends a child's PR_SET_PDEATHSIG when the *thread* that created it exits, which
/// would hit a workload that asks to die with its parent.
/// </para>
/// </summary>
internal static class Spawner
{
    private static readonly byte[] DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"u8.ToArray();

    /// <summary>Starts the workload and returns its pid; throws <see cref="SpawnException"/> if it cannot run.</summary>
    internal static int Spawn(Launch launch)
    {
        // Checked here: posix_spawn would report a missing workdir as the command's ENOENT.
        if (FileKind.DirectoryError(launch.Workdir) is var error && error != 0)
            throw new SpawnException($"workdir {Printable.Of(launch.Workdir)}", error);
        int pid = 0;
        Exception? failure = null;
        // No spinning: the spawn thread takes ~1 ms (thread start, descriptor list, posix_spawn), and a spinning
        // wait would burn that on the other core in sched_yield calls; this one sleeps on a futex at once.
        var spawned = new ManualResetEventSlim(initialState: false, spinCount: 0);
        var thread = new Thread(() =>
        {
            try
            {
                pid = SpawnFromThisThread(launch);
            }
            catch (Exception e)
            {
                failure = e;
            }
            spawned.Set();
            if (failure is null) Signals.ParkThisThreadForever();
        }, maxStackSize: 256 * 1024)
        { Name = "spawn", IsBackground = true };
        try
        {
            thread.Start();
        }
        catch (OutOfMemoryException)
        {
            throw SpawnException.NoSpawnThread();
        }
        spawned.Wait();
        return failure is null ? pid : throw failure;
    }

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

    private static unsafe int SpawnFromThisThread(Launch launch)
    {
        byte* attributes = stackalloc byte[Libc.SpawnAttrSize];
        byte* actions = stackalloc byte[Libc.SpawnFileActionsSize];
        using var strings = new NativeStrings();
        byte** argv = strings.Array(launch.Argv);
        byte** envp = strings.Array(launch.Environment.Entries);
        byte* workdir = strings.One(launch.Workdir);
        Check(Libc.posix_spawnattr_init(attributes), "posix_spawnattr_init");
        Check(Libc.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        try
        {
            Configure(attributes, actions, workdir, launch);
            TakeWorkloadCredentials(launch, workdir);
            int lastError = LibcErrno.ENOENT;
            byte[] failedPath = launch.Argv[0];
            foreach (byte[] candidate in Candidates(launch.Argv[0], launch.Environment.Get("PATH")))
            {
                int pid;
                int error = Libc.posix_spawn(&pid, strings.One(candidate), actions, attributes, argv, envp);
                if (error == 0) return pid;
                if (error is not (LibcErrno.ENOENT or LibcErrno.ENOTDIR or LibcErrno.EACCES))
                    throw SpawnException.CannotExecute(candidate, error);
                if (error == LibcErrno.EACCES || lastError != LibcErrno.EACCES)
                    (lastError, failedPath) = (error, candidate);
            }
            throw SpawnException.CannotExecute(lastError == LibcErrno.EACCES ? failedPath : launch.Argv[0], lastError);
        }
        finally
        {
            Libc.posix_spawn_file_actions_destroy(actions);
            Libc.posix_spawnattr_destroy(attributes);
        }
    }

    /// <summary>
    /// Last, with everything prepared: from here this thread has the workload's credentials (and, once its uid
    /// changes, cannot read the init's /proc/self any more).
    /// </summary>
    private static unsafe void TakeWorkloadCredentials(Launch launch, byte* workdir)
    {
        try
        {
            ThreadCredentials.Lower(launch.Credentials);
        }
        catch (ErrnoException failure)
        {
            throw SpawnException.CannotLowerPrivileges(failure);
        }
        // The child enters the workdir with these credentials; posix_spawn would report a refusal as the command's EACCES.
        if (Libc.access(workdir, Libc.X_OK) != 0)
            throw new SpawnException($"workdir {Printable.Of(launch.Workdir)}", Marshal.GetLastPInvokeError());
    }

    private static unsafe void Configure(byte* attributes, byte* actions, byte* workdir, Launch launch)
    {
        SignalSet mask = launch.Mask;
        SignalSet defaults = SignalSet.Range(1, SignalSet.Max).Except(launch.KeptIgnored);
        Check(Libc.posix_spawnattr_setsigmask(attributes, &mask), "posix_spawnattr_setsigmask");
        Check(Libc.posix_spawnattr_setsigdefault(attributes, &defaults), "posix_spawnattr_setsigdefault");
        Check(Libc.posix_spawnattr_setpgroup(attributes, 0), "posix_spawnattr_setpgroup");
        Check(Libc.posix_spawnattr_setflags(attributes,
            Libc.POSIX_SPAWN_SETPGROUP | Libc.POSIX_SPAWN_SETSIGDEF | Libc.POSIX_SPAWN_SETSIGMASK), "posix_spawnattr_setflags");
        // glibc runs the file actions with every signal blocked, so tcsetpgrp from the new group gets no SIGTTOU.
        if (Terminal.HeldByInit())
        {
            Log.Debug("handing the terminal's foreground to the workload");
            Check(Libc.posix_spawn_file_actions_addtcsetpgrp_np(actions, 0), "posix_spawn_file_actions_addtcsetpgrp_np");
        }
        Check(Libc.posix_spawn_file_actions_addchdir_np(actions, workdir), "posix_spawn_file_actions_addchdir_np");
        foreach (int fd in Descriptors.OwnedByInit())
            Check(Libc.posix_spawn_file_actions_addclose(actions, fd), "posix_spawn_file_actions_addclose");
    }

    private static void Check(int error, string operation)
    {
        if (error != 0) throw new ErrnoException(operation, error);
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

        public void Dispose()
        {
            foreach (nint block in _blocks) NativeMemory.Free((void*)block);
        }
    }
}
