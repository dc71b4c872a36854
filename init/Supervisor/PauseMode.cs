using Init.Interop;
using Init.Logging;

using static Init.Interop.SignalNames;

namespace Init.Supervisor;

/// <summary>
/// --pause (catatonit -P, the Kubernetes pause container): no workload. The init holds its namespaces and reaps
/// whatever is reparented to it until a TERM or INT, then stops what is left as after a workload and exits 0.
/// It blocks in sigtimedwait without a time limit: idle, it never wakes (the supervisor's tick guards against a
/// lost wake-up, which cannot happen here: every awaited signal stays blocked, so one sent before the wait is
/// pending and ends it at once).
/// </summary>
internal sealed class PauseMode(TimeSpan grace)
{
    private readonly int _initPid = Libc.getpid();
    private readonly Reaper _reaper = new(workloadPid: 0); // no pid is 0: every status is an orphan's

    internal int Run()
    {
        while (true)
        {
            try
            {
                _reaper.ReapAll();
                ReceivedSignal? received = Signals.WaitForever();
                if (received is { Signal: SIGTERM or SIGINT } stop && !stop.RaisedBy(_initPid))
                {
                    Log.Info($"{stop}: ending the pause");
                    break;
                }
                if (received is { Signal: not SIGCHLD } other)
                    Log.Debug($"{other} ignored: no workload to forward it to");
            }
            catch (Exception e)
            {
                // As in the supervisor: PID 1 must not die of its own bug; the pause keeps a repeating fault from spinning.
                Log.Error($"pause: {e.Message}; still holding");
                Thread.Sleep(WorkloadSupervisor.Tick / 10);
            }
        }
        try
        {
            // The stop that ended the pause counts: a second TERM during the grace kills at once.
            new Shutdown(_reaper, new Leftovers(_initPid, workloadPid: null), grace, _initPid, stopRequests: 1).Run();
        }
        catch (Exception e)
        {
            Log.Error($"shutdown: {e.Message}; exiting anyway");
        }
        return ExitCodes.Success;
    }
}
