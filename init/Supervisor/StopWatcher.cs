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
/// The thread is a plain one (init/Native/stop_watch.c): it enters managed code, through <see cref="OnStopRequest"/>,
/// only when a stop request comes, so a set-up that is not interrupted pays no managed thread's start.
/// </para>
/// </summary>
internal sealed unsafe partial class StopWatcher
{
    /// <summary>The watch in progress (init_stop_watch_* keeps one at a time); the callback finds it here.</summary>
    private static StopWatcher? s_current;

    private readonly CancellationTokenSource _stop = new();
    /// <summary>Written by the watcher's thread before it cancels; read only after the watch has ended (joined).</summary>
    private ReceivedSignal? _first;

    /// <summary>
    /// Runs <paramref name="setUp"/> with a token that the first stop request cancels. Returns that request (the
    /// set-up then ended early with <see cref="OperationCanceledException"/>, or had just finished), or null.
    /// Other exceptions of the set-up pass through. Only a set-up that can wait should come here; without one,
    /// <see cref="Signals.TakeQueued"/> after it is enough.
    /// </summary>
    internal static ReceivedSignal? Run(Action<CancellationToken> setUp)
    {
        var watcher = new StopWatcher();
        ulong requests = Signals.StopRequests.Bits;
        s_current = watcher;
        int error = init_stop_watch_start(&requests, &OnStopRequest);
        if (error != 0)
        {
            // No descriptor or no thread (EMFILE, a low pids.max): a stop request is obeyed when the set-up ends.
            s_current = null;
            Log.Warn($"cannot watch for stop requests during the set-up ({LibcErrno.Describe(error)}): they are obeyed when it ends");
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
        finally
        {
            init_stop_watch_end();
            s_current = null;
            watcher._stop.Dispose();
        }
        return watcher._first;
    }

    /// <summary>On the watcher's thread: 1 when the request is taken (the set-up is cancelled), 0 to keep watching.</summary>
    [UnmanagedCallersOnly]
    private static int OnStopRequest(int signal, int code, int senderPid)
    {
        try
        {
            var received = new ReceivedSignal(signal, code, senderPid);
            if (s_current is not { } watcher || received.RaisedBy(Libc.getpid()))
                return 0;
            watcher._first = received; // before Cancel: whoever sees the cancellation finds it recorded
            watcher._stop.Cancel();
        }
        catch (Exception e)
        {
            // An exception must not cross into C; a stop request is then obeyed when the set-up ends.
            Log.Warn($"stop watcher: {e.Message}");
        }
        return 1;
    }

    [LibraryImport("init_native")]
    private static partial int init_stop_watch_start(ulong* requests, delegate* unmanaged<int, int, int, int> onStop);

    [LibraryImport("init_native")]
    private static partial void init_stop_watch_end();
}
