using System.Runtime.InteropServices;

using Init.Interop;
using Init.Logging;
using Init.Spec;

using static Init.Interop.SignalNames;

namespace Init.Supervisor;

/// <summary>
/// The PID-1 loop: wait for a signal (or a periodic tick), forward it, reap every child, until the workload has
/// exited; then <see cref="Shutdown"/> the rest. Returns the workload's exit code (128 + N for signal N).
/// </summary>
internal sealed class WorkloadSupervisor(int workloadPid, bool forwardToGroup, TimeSpan grace)
{
    /// <summary>Bounds every wait: a lost wake-up can cost at most this, never a hang.</summary>
    internal static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly int _initPid = Libc.getpid();
    private readonly Reaper _reaper = new(workloadPid);

    /// <summary>
    /// The init is a machine's PID 1 ([system]). Ctrl-Alt-Del, after reboot(RB_DISABLE_CAD), arrives as a SIGINT from
    /// the kernel: the host asks the machine to stop, so the workload gets SIGTERM, as from docker stop (a SIGINT
    /// sent by a process stays SIGINT). And the kernel's own threads are not leftovers to wait for.
    /// </summary>
    internal bool Machine { get; init; }

    /// <summary>Forwarded signals to send as another one, or not at all (--rewrite); stop requests count as received.</summary>
    internal IReadOnlyDictionary<int, int> Rewrite { get; init; } = SignalRewrite.None;

    /// <summary>TERMs and INTs the init was sent while the workload ran: a second one cuts the grace short.</summary>
    private int _stopRequests;

    internal int Run()
    {
        while (_reaper.WorkloadStatus is null)
        {
            try
            {
                if (Signals.Wait(Tick) is { } received && received.Signal != SIGCHLD)
                    Forward(received);
                _reaper.ReapAll();
                if (_reaper.NoChildrenLeft && _reaper.WorkloadStatus is null)
                {
                    Log.Error($"workload (pid {workloadPid}) vanished without an exit status");
                    return ExitCodes.InternalError;
                }
            }
            catch (Exception e)
            {
                // PID 1 must not die of its own bug while the workload runs; the pause keeps a repeating fault from spinning.
                Log.Error($"supervisor: {e.Message}; still supervising pid {workloadPid}");
                Thread.Sleep(Tick / 10);
            }
        }
        int status = _reaper.WorkloadStatus.Value;
        try
        {
            Terminal.TakeBackFrom(workloadPid);
            new Shutdown(_reaper, new Leftovers(_initPid, workloadPid, Machine), grace, _initPid, _stopRequests).Run();
        }
        catch (Exception e)
        {
            Log.Error($"shutdown: {e.Message}; exiting with the workload's status");
        }
        return ExitStatus.ToExitCode(status);
    }

    private void Forward(ReceivedSignal received)
    {
        if (received.RaisedBy(_initPid))
        {
            Log.Debug($"not forwarding {received}: raised by the init itself");
            return;
        }
        if (received.Signal is SIGTERM or SIGINT)
            _stopRequests++;
        int target = forwardToGroup ? -workloadPid : workloadPid;
        int signal = received.Signal;
        if (Machine && received is { Signal: SIGINT, Code: > 0 })
        {
            signal = SIGTERM;
            Log.Info("Ctrl-Alt-Del: stopping the workload with SIGTERM");
        }
        // After the Ctrl-Alt-Del TERM: a machine's workload that wants QUIT for a graceful stop gets it there too.
        int rewritten = SignalRewrite.Apply(Rewrite, signal);
        string sent = rewritten == signal ? "" : $" as {Name(rewritten)}";
        if (rewritten == SignalRewrite.Drop)
        {
            Log.Debug($"{received} dropped (rewritten to 0)");
            return;
        }
        if (Libc.kill(target, rewritten) == 0)
            Log.Debug($"forwarded {received}{sent} to {(forwardToGroup ? "process group" : "pid")} {workloadPid}");
        else if (Marshal.GetLastPInvokeError() is var errno && errno == LibcErrno.ESRCH)
            Log.Debug($"{received} not forwarded: the workload is already gone");
        else
            Log.Warn($"forwarding {received} to {target}: {LibcErrno.Describe(errno)}");
    }
}
