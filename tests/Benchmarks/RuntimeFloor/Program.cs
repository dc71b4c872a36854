using System.Runtime.InteropServices;

// `runtime-floor --version` writes one line and exits; `runtime-floor COMMAND ARGS...` starts COMMAND with
// posix_spawnp and waits for it, exiting with its status. No signal forwarding, no reaping of others, no spec:
// what is left is the .NET runtime's own start and exit around the least an init does.
return args is ["--version"] ? RuntimeFloor.Version() : RuntimeFloor.Run(args);

internal static unsafe partial class RuntimeFloor
{
    internal static int Version()
    {
        ReadOnlySpan<byte> line = "runtime-floor\n"u8;
        fixed (byte* bytes = line) write(1, bytes, line.Length);
        return 0;
    }

    internal static int Run(string[] command)
    {
        byte*[] argv = new byte*[command.Length + 1];
        for (int i = 0; i < command.Length; i++) argv[i] = (byte*)Marshal.StringToCoTaskMemUTF8(command[i]);
        int pid, status;
        fixed (byte** vector = argv)
        {
            if (posix_spawnp(&pid, vector[0], null, null, vector, null) != 0) return 127;
        }
        while (waitpid(pid, &status, 0) < 0)
        {
            if (Marshal.GetLastPInvokeError() != EINTR) return 126;
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }

    [LibraryImport("libc")]
    private static partial nint write(int fd, byte* bytes, nint count);

    [LibraryImport("libc")]
    private static partial int posix_spawnp(int* pid, byte* file, void* fileActions, void* attributes, byte** argv, byte** envp);

    private const int EINTR = 4;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int waitpid(int pid, int* status, int options);
}
