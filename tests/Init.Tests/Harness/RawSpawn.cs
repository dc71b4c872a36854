using System.Runtime.InteropServices;
using System.Text;

namespace Init.Tests.Harness;

/// <summary>
/// Runs out/init as PID 1 with argument and environment bytes exactly as given — invalid UTF-8, entries without
/// '=', duplicate names — which System.Diagnostics.Process cannot pass (it takes strings and a dictionary).
/// The workload reports through files; the exit code comes back.
/// </summary>
public static class RawSpawn
{
    public static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    /// <summary>
    /// The init's exit code; the whole run is killed (unshare --kill-child) after <paramref name="timeout"/>.
    /// Its stderr goes to <paramref name="stderrFile"/> when given (else it is the test's).
    /// </summary>
    public static int RunPid1(IEnumerable<byte[]> initArgs, IEnumerable<byte[]> environment, TimeSpan timeout, string? stderrFile = null)
    {
        byte[][] argv =
        [
            Bytes("unshare"), Bytes("--pid"), Bytes("--fork"), Bytes("--kill-child"), Bytes("--mount-proc"), Bytes("--net"),
            Bytes(Repo.InitBinary), .. initArgs,
        ];
        var blocks = new List<nint>();
        nint actions = Marshal.AllocHGlobal(256);
        blocks.Add(actions);
        posix_spawn_file_actions_init(actions);
        try
        {
            if (stderrFile is not null)
                posix_spawn_file_actions_addopen(actions, 2, stderrFile, 0x241 /* O_WRONLY|O_CREAT|O_TRUNC */, 0b110_100_100);
            nint[] argvPointers = Pointers(argv, blocks);
            nint[] envPointers = Pointers([.. environment], blocks);
            int error = posix_spawnp(out int pid, "unshare", actions, 0, argvPointers, envPointers);
            if (error != 0) throw new InvalidOperationException($"posix_spawnp unshare: errno {error}");
            return WaitForExit(pid, timeout);
        }
        finally
        {
            posix_spawn_file_actions_destroy(actions);
            foreach (nint block in blocks) Marshal.FreeHGlobal(block);
        }
    }

    private static int WaitForExit(int pid, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            int reaped = waitpid(pid, out int status, 1 /* WNOHANG */);
            if (reaped == pid) return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
            if (DateTime.UtcNow > deadline)
            {
                kill(pid, 9);
                waitpid(pid, out _, 0);
                throw new TimeoutException($"init still running after {timeout.TotalSeconds} s");
            }
            Thread.Sleep(10);
        }
    }

    /// <summary>NUL-terminated native copies and the NULL-terminated array of them.</summary>
    private static nint[] Pointers(byte[][] strings, List<nint> blocks)
    {
        var pointers = new nint[strings.Length + 1];
        for (int i = 0; i < strings.Length; i++)
        {
            nint block = Marshal.AllocHGlobal(strings[i].Length + 1);
            blocks.Add(block);
            Marshal.Copy(strings[i], 0, block, strings[i].Length);
            Marshal.WriteByte(block, strings[i].Length, 0);
            pointers[i] = block;
        }
        return pointers;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int posix_spawnp(out int pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string file,
        nint fileActions, nint attributes, nint[] argv, nint[] envp);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_init(nint actions);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_destroy(nint actions);

    [DllImport("libc")]
    private static extern int posix_spawn_file_actions_addopen(nint actions, int fd,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, int mode);

    [DllImport("libc", SetLastError = true)]
    private static extern int waitpid(int pid, out int status, int options);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
