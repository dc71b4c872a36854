using System.Runtime.InteropServices;

using Init.Interop;
using Init.Logging;

namespace Init.Supervisor;

/// <summary>
/// Obeys a stop request (<see cref="Signals.StopRequests"/>) while the set-up waits (carrier, DAD, a slow netlink
/// reply): a thread polls a signalfd for them and an eventfd that ends it; the first one it takes is recorded and
/// cancels the set-up's token, which ends any netlink call or wait at once.
/// <para>
/// Why a thread with a signalfd: the signals stay blocked in every thread (no handler runs, see <see cref="Signals"/>),
/// and a signalfd reads a blocked signal as sigtimedwait does, while poll() lets the same thread also wait for the end
/// of the set-up. Taking the signal off the queue keeps its order: the first stop request decides the exit status,
/// not the lowest-numbered one queued. The signalfd's mask holds only the stop requests, so every other signal stays
/// queued for the supervisor loop, and the thread is gone before that loop starts, so it never competes with it.
/// </para>
/// </summary>
internal sealed unsafe class StopWatcher : IDisposable
{
    private readonly Descriptor _stopRequests;
    private readonly Descriptor _end;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    /// <summary>Written by the watcher thread before it cancels; read only after <see cref="Dispose"/> joined it.</summary>
    private ReceivedSignal? _first;
    private bool _disposed;

    private StopWatcher(Descriptor stopRequests, Descriptor end)
    {
        _stopRequests = stopRequests;
        _end = end;
        _thread = new Thread(Watch) { IsBackground = true, Name = "stop watcher" };
    }

    /// <summary>
    /// Runs <paramref name="setUp"/> with a token that the first stop request cancels. Returns that request (the
    /// set-up then ended early with <see cref="OperationCanceledException"/>, or had just finished), or null.
    /// Other exceptions of the set-up pass through. Starting a thread costs start-up time, so only a set-up that
    /// can wait should come here; without one, <see cref="Signals.TakeQueued"/> after it is enough.
    /// </summary>
    internal static ReceivedSignal? Run(Action<CancellationToken> setUp)
    {
        using StopWatcher? watcher = TryStart();
        if (watcher is null)
        {
            setUp(CancellationToken.None);
            return null;
        }
        try
        {
            setUp(watcher._stop.Token);
        }
        catch (OperationCanceledException) when (watcher._stop.IsCancellationRequested)
        {
        }
        watcher.Dispose();
        return watcher._first;
    }

    /// <summary>
    /// Null when the descriptors or the thread cannot be had (EMFILE, a low pids.max): the set-up then runs as
    /// before, and a stop request is obeyed when it ends.
    /// </summary>
    private static StopWatcher? TryStart()
    {
        Descriptor? stopRequests = null, end = null;
        try
        {
            SignalSet mask = Signals.StopRequests;
            stopRequests = Descriptor.Own(Libc.signalfd(-1, &mask, Libc.SFD_CLOEXEC | Libc.SFD_NONBLOCK), "signalfd");
            end = Descriptor.Own(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "eventfd");
            var watcher = new StopWatcher(stopRequests, end);
            watcher._thread.Start();
            return watcher;
        }
        catch (Exception e) when (e is ErrnoException or OutOfMemoryException or ThreadStartException)
        {
            stopRequests?.Dispose();
            end?.Dispose();
            Log.Warn($"cannot watch for stop requests during the set-up ({e.Message}): they are obeyed when it ends");
            return null;
        }
    }

    private void Watch()
    {
        Signals.BlockAwaitedInThisThread();
        try
        {
            int self = Libc.getpid();
            while (Wait())
            {
                if (Take() is { } signal && !signal.RaisedBy(self))
                {
                    _first = signal; // before Cancel: whoever sees the cancellation finds it recorded
                    _stop.Cancel();
                    return;
                }
            }
        }
        catch (Exception e)
        {
            // An exception would end the process (PID 1); a stop request is then obeyed when the set-up ends.
            Log.Warn($"stop watcher: {e.Message}");
        }
    }

    /// <summary>Polls both descriptors; true when a stop request is there to take, false once ended.</summary>
    private bool Wait()
    {
        var fds = stackalloc PollFd[2];
        while (true)
        {
            fds[0] = new PollFd { Fd = _stopRequests.Number, Events = Libc.POLLIN };
            fds[1] = new PollFd { Fd = _end.Number, Events = Libc.POLLIN };
            if (LibcErrno.Check(PollRetryingEintr(fds), "poll") > 0)
                return fds[1].Revents == 0;
        }
    }

    private static int PollRetryingEintr(PollFd* fds)
    {
        int ready;
        while ((ready = Libc.poll(fds, 2, -1)) < 0 && Marshal.GetLastPInvokeError() == LibcErrno.EINTR)
        {
        }
        return ready;
    }

    /// <summary>
    /// Dequeues one stop request, or null when none was there after all. Several queued at once come lowest first,
    /// as from sigtimedwait; that happens only when they arrived within the same instant.
    /// </summary>
    private ReceivedSignal? Take()
    {
        SignalFdInfo info;
        nint read = Libc.read(_stopRequests.Number, (byte*)&info, sizeof(SignalFdInfo));
        if (read == sizeof(SignalFdInfo))
            return new ReceivedSignal((int)info.Signal, info.Code, (int)info.SenderPid);
        int errno = Marshal.GetLastPInvokeError();
        return read < 0 && errno is LibcErrno.EAGAIN or LibcErrno.EINTR ? null : throw new ErrnoException("read signalfd", errno);
    }

    /// <summary>Ends the thread and waits for it; the stop requests it did not take stay queued.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        ulong one = 1;
        LibcErrno.Check((int)Libc.write(_end.Number, (byte*)&one, sizeof(ulong)), "write eventfd");
        _thread.Join();
        _stopRequests.Dispose();
        _end.Dispose();
        _stop.Dispose();
    }

    /// <summary>A descriptor the watcher owns.</summary>
    private sealed class Descriptor : SafeHandle
    {
        private Descriptor(int fd)
            : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

        public override bool IsInvalid => handle < 0; // 0 is valid when the container closed stdin

        internal int Number => (int)handle;

        internal static Descriptor Own(int fd, string operation) => new(LibcErrno.Check(fd, operation));

        protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
    }
}
