using Init.Interop;

using static Init.Interop.SignalNames;

namespace Init.Supervisor;

/// <summary>One signal taken from the init's queue. A plain struct: nothing compares two of them.</summary>
internal readonly struct ReceivedSignal(int signal, int code, int senderPid)
{
    internal int Signal { get; } = signal;

    /// <summary>si_code: at or below zero a process sent it (SI_USER, SI_QUEUE…), above zero the kernel raised it.</summary>
    internal int Code { get; } = code;

    internal int SenderPid { get; } = senderPid;

    private static readonly SignalSet Faults = SignalSet.Of(SIGILL, SIGTRAP, SIGBUS, SIGFPE, SIGSEGV, SIGSYS);

    /// <summary>
    /// True for a signal the init raised itself: a kernel-generated fault, or one sent from the init's own pid
    /// (SIGPIPE on a closed stderr). Those are never forwarded; a fault sent with kill(1) is.
    /// </summary>
    internal bool RaisedBy(int initPid) =>
        (Code > 0 && Faults.Contains(Signal)) || (Code <= 0 && SenderPid == initPid);

    public override string ToString() => Code <= 0 && SenderPid > 0 ? $"{Name(Signal)} from pid {SenderPid}" : Name(Signal);
}

/// <summary>
/// The init takes every signal synchronously: they stay blocked in every thread (SEGV and FPE excepted in the
/// main thread, see <see cref="RuntimeFaults"/>) and the supervisor loop dequeues them with sigtimedwait (tini's
/// model). No handler of ours runs, so nothing is async-signal-unsafe and nothing is lost.
/// <para>
/// A process-directed signal goes to any thread that does not block it, and a NativeAOT process already has two
/// threads at Main (main and the finalizer). So init/Native/startup.c blocks <see cref="Awaited"/> before the
/// runtime starts, and every thread inherits that mask; here the main thread only reopens SEGV and FPE.
/// </para>
/// </summary>
internal sealed class Signals
{
    /// <summary>
    /// Forwarded to the workload: 1..31 except KILL and STOP (uncatchable) and CHLD (the init's own), plus the
    /// real-time signals from SIGRTMIN+1. glibc reserves 32 and 33, and .NET's runtime uses 34 (SIGRTMIN) to
    /// suspend threads for the GC, so those stay unblocked and are never forwarded.
    /// </summary>
    internal static SignalSet Forwarded { get; } = SignalSet.Range(1, 31)
        .Except(SignalSet.Of(SIGKILL, SIGSTOP, SIGCHLD))
        .Union(SignalSet.Range(RtMin + 1, SignalSet.Max));

    /// <summary>Everything the supervisor loop waits for.</summary>
    internal static SignalSet Awaited { get; } = Forwarded.With(SIGCHLD);

    /// <summary>
    /// The runtime catches SEGV and FPE to turn the init's own faults into exceptions, and a fault the thread
    /// blocks kills the process outright. So the main thread, where the init's code runs, leaves them unblocked;
    /// every other thread blocks them. Sent with kill, they are taken by sigtimedwait while the main thread waits
    /// (nearly always); one that arrives while it runs goes to a handler, where init/Native/startup.c diverts it
    /// from the runtime (whose handler drops the first and restores SIG_DFL, so a second would kill the init)
    /// to <see cref="SentFaults"/>, and <see cref="Wait"/> hands it out like a queued one.
    /// </summary>
    private static SignalSet RuntimeFaults { get; } = SignalSet.Of(SIGSEGV, SIGFPE);

    private Signals(SignalSet containerMask, SignalSet containerIgnored)
    {
        ContainerMask = containerMask;
        ContainerIgnored = containerIgnored;
    }

    /// <summary>The signal mask the container started the init with; the workload gets it back.</summary>
    internal SignalSet ContainerMask { get; }

    /// <summary>
    /// Signals the container ignored (but SIGCHLD), read before the runtime started: SIGPIPE is in it only when the
    /// container ignored it, not because .NET ignores it before Main.
    /// </summary>
    internal SignalSet ContainerIgnored { get; }

    /// <summary>
    /// Takes the container's mask (as startup.c found it) and ignored signals, makes sure children can be waited for
    /// (an inherited SIGCHLD=SIG_IGN makes the kernel discard every exit status), and reopens SEGV and FPE in the
    /// main thread; <see cref="Awaited"/> is blocked in every thread since before the runtime started.
    /// </summary>
    internal static unsafe Signals TakeOver()
    {
        SignalSet mask = StartupVectors.SignalMask();
        SignalSet ignored = StartupVectors.IgnoredSignals();
        if (ignored.Contains(SIGCHLD))
        {
            var defaultAction = new SigAction { Handler = SigAction.SIG_DFL };
            LibcErrno.Check(Libc.sigaction(SIGCHLD, &defaultAction, null), "sigaction(SIGCHLD, SIG_DFL)");
        }
        SentFaults.Divert(SIGSEGV);
        SentFaults.Divert(SIGFPE);
        SignalSet runtimeFaults = RuntimeFaults;
        Check(Libc.pthread_sigmask(Libc.SIG_UNBLOCK, &runtimeFaults, null), "pthread_sigmask(SIG_UNBLOCK)");
        return new Signals(mask, ignored.Without(SIGCHLD));
    }

    /// <summary>
    /// Why a parent-death signal could never reach the workload (null when it can): the init would be stopped or
    /// killed by it, or would never see it. KILL is allowed on purpose: as PID 1 it ends the whole container.
    /// </summary>
    internal static string? ParentDeathSignalProblem(int signal) => signal switch
    {
        SIGSTOP => "it would stop the init itself (it cannot be caught or forwarded)",
        SIGCHLD => "the init takes it as a child's exit; it is never forwarded",
        32 or 33 => "glibc reserves it; it would kill the init and leave the workload running",
        RtMin => "the .NET runtime uses it to suspend threads; the init never sees it",
        _ => null,
    };

    /// <summary>
    /// What asks a container to stop (docker stop, Ctrl-C, a closed terminal). One of them arriving while the init
    /// still sets up means the workload is not to be started at all.
    /// </summary>
    internal static SignalSet StopRequests { get; } = SignalSet.Of(SIGTERM, SIGINT, SIGHUP, SIGQUIT);

    /// <summary>Waits up to <paramref name="timeout"/> for an awaited signal; null on timeout or interruption.</summary>
    internal static ReceivedSignal? Wait(TimeSpan timeout) => TakeDiverted() ?? WaitFor(Awaited, timeout);

    /// <summary>A SEGV or FPE sent while the main thread ran (see <see cref="RuntimeFaults"/>), as if dequeued: SI_USER from its sender.</summary>
    private static ReceivedSignal? TakeDiverted() =>
        SentFaults.TakeSender(SIGSEGV) is int segvSender ? new ReceivedSignal(SIGSEGV, 0, segvSender)
        : SentFaults.TakeSender(SIGFPE) is int fpeSender ? new ReceivedSignal(SIGFPE, 0, fpeSender)
        : null;

    /// <summary>Takes one signal of <paramref name="set"/> already queued, without waiting; the others stay queued.</summary>
    internal static ReceivedSignal? TakeQueued(SignalSet set) => WaitFor(set, TimeSpan.Zero);

    /// <summary>
    /// Waits for an awaited signal without a time limit (pause mode: nothing to do but reap). No wake-up can be lost:
    /// the signals stay blocked, so a SIGCHLD that comes before the call is pending and ends it at once.
    /// </summary>
    internal static ReceivedSignal? WaitForever() => TakeDiverted() ?? WaitFor(Awaited, null);

    private static unsafe ReceivedSignal? WaitFor(SignalSet set, TimeSpan? timeout)
    {
        SigInfo info;
        Timespec limit = Timespec.From(timeout is { } t && t > TimeSpan.Zero ? t : TimeSpan.Zero);
        int signal = Libc.sigtimedwait(&set, &info, timeout is null ? null : &limit);
        if (signal > 0) return new ReceivedSignal(signal, info.Code, info.SenderPid);
        int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
        return errno is LibcErrno.EAGAIN or LibcErrno.EINTR ? null : throw new ErrnoException("sigtimedwait", errno);
    }

    /// <summary>
    /// For a helper thread, first thing: threads inherit the main thread's mask, which leaves SEGV and FPE to the
    /// runtime there; a helper blocks them too, so a kill()ed one waits for the supervisor's sigtimedwait.
    /// </summary>
    internal static void BlockAwaitedInThisThread() => Block(Awaited);

    private static unsafe void Block(SignalSet set)
    {
        Check(Libc.pthread_sigmask(Libc.SIG_BLOCK, &set, null), "pthread_sigmask(SIG_BLOCK)");
    }

    private static void Check(int error, string operation)
    {
        if (error != 0) throw new ErrnoException(operation, error);
    }
}
