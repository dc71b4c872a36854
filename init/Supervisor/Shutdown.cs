using System.Diagnostics;
using Init.Interop;
using Init.Logging;
using static Init.Interop.SignalNames;

namespace Init.Supervisor;

/// <summary>
/// After the workload has exited: SIGTERM (then SIGCONT, so stopped processes can act on it) to every process
/// left, up to <c>grace</c> for them to exit while they are reaped, SIGKILL for the rest, reap everything.
/// A second SIGTERM or SIGINT to the init cuts the grace short — counting the one that stopped the workload, if
/// one did: when the workload exited on its own, the first TERM (a docker stop) leaves the leftovers their grace.
/// Ends early as soon as nothing is left.
/// </summary>
internal sealed class Shutdown(Reaper reaper, Leftovers leftovers, TimeSpan grace, int initPid, int stopRequests)
{
    /// <summary>How long to wait for SIGKILLed processes to be reaped (one stuck in the kernel must not hang us).</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    internal void Run()
    {
        reaper.ReapAll();
        if (leftovers.NoneLeft(reaper)) return;
        int? signalled = leftovers.Signal(SIGTERM);
        leftovers.Signal(SIGCONT);
        Log.Info($"sent SIGTERM to {Count(signalled)}; waiting up to {grace.TotalSeconds:0.###}s");
        if (WaitForAll(grace, stopOnTerm: true)) return;

        signalled = leftovers.Signal(SIGKILL);
        Log.Warn($"grace period over: sent SIGKILL to {Count(signalled)}");
        if (!WaitForAll(KillWait, stopOnTerm: false))
            Log.Warn($"processes still alive {KillWait.TotalSeconds}s after SIGKILL; exiting anyway");
    }

    /// <summary>Reaps until nothing is left (true), or the time is up or a second TERM/INT arrives (false).</summary>
    private bool WaitForAll(TimeSpan limit, bool stopOnTerm)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            TimeSpan left = limit - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero) return false;
            try
            {
                ReceivedSignal? received = Signals.Wait(left < WorkloadSupervisor.Tick ? left : WorkloadSupervisor.Tick);
                if (stopOnTerm && received is { Signal: SIGTERM or SIGINT } stop && !stop.RaisedBy(initPid))
                {
                    if (++stopRequests >= 2)
                    {
                        Log.Info($"{stop} during the grace period: killing now");
                        return false;
                    }
                    Log.Info($"{stop} during the grace period: the leftovers keep their grace; another one kills at once");
                }
                else if (received is { Signal: not SIGCHLD } other)
                    Log.Debug($"{other} ignored: shutting down");
                reaper.ReapAll();
                if (leftovers.NoneLeft(reaper)) return true;
            }
            catch (Exception e)
            {
                Log.Error($"shutdown: {e.Message}");
                Thread.Sleep(WorkloadSupervisor.Tick / 10);
            }
        }
    }

    private static string Count(int? signalled) => signalled switch
    {
        null => "every remaining process",
        1 => "1 process",
        _ => $"{signalled} processes",
    };
}
