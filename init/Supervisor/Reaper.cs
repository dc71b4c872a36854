using System.Runtime.InteropServices;

using Init.Interop;
using Init.Logging;

namespace Init.Supervisor;

/// <summary>
/// Owns every waitpid of the process: collects all exited children (the workload, its orphans, anything
/// reparented to us) until none is ready, so coalesced SIGCHLDs lose nothing. The workload's status is kept here.
/// </summary>
internal sealed class Reaper(int workloadPid)
{
    /// <summary>The workload's raw wait status once it has been reaped.</summary>
    internal int? WorkloadStatus { get; private set; }

    /// <summary>True once waitpid says there is no child at all (hence no descendant) left.</summary>
    internal bool NoChildrenLeft { get; private set; }

    internal unsafe void ReapAll()
    {
        while (true)
        {
            int status;
            int pid = Libc.waitpid(-1, &status, Libc.WNOHANG);
            if (pid > 0)
                Record(pid, status);
            else if (pid == 0)
            {
                NoChildrenLeft = false;
                return;
            }
            else
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno == LibcErrno.EINTR) continue;
                if (errno != LibcErrno.ECHILD) throw new ErrnoException("waitpid", errno);
                NoChildrenLeft = true;
                return;
            }
        }
    }

    private void Record(int pid, int status)
    {
        if (pid == workloadPid)
        {
            WorkloadStatus = status;
            Log.Info($"workload (pid {pid}) {ExitStatus.Describe(status)}");
        }
        else
            Log.Debug($"reaped pid {pid}: {ExitStatus.Describe(status)}");
    }
}
