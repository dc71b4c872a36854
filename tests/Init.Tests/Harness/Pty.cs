using System.Runtime.InteropServices;
using System.Text;

namespace Init.Tests.Harness;

/// <summary>
/// A real pseudo-terminal: the command runs in a new session with the terminal's slave side as its controlling
/// terminal and stdio (<c>setsid -w -c</c>), the test types into the master side and reads what it shows.
/// </summary>
public sealed partial class Pty : IDisposable
{
    private readonly int _master;
    private readonly StringBuilder _output = new();
    private int _consumed;

    private Pty(int master, string slave)
    {
        _master = master;
        SlavePath = slave;
    }

    public string SlavePath { get; }

    /// <summary>Everything the terminal has shown so far.</summary>
    public string Output => _output.ToString();

    public static unsafe Pty Open()
    {
        int master = posix_openpt(O_RDWR | O_NOCTTY);
        if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
            throw new IOException($"cannot open a pseudo-terminal: errno {Marshal.GetLastPInvokeError()}");
        byte* name = stackalloc byte[128];
        if (ptsname_r(master, name, 128) != 0)
            throw new IOException("ptsname_r failed");
        return new Pty(master, Marshal.PtrToStringUTF8((nint)name)!);
    }

    /// <summary>Starts <paramref name="file"/> with this terminal as its controlling terminal, stdin, stdout and stderr.</summary>
    public RunningProc Start(string file, IEnumerable<string> args, ProcOptions? options = null) =>
        Proc.Start("sh", ["-c", "exec setsid -w -c \"$@\" <\"$TTY\" >\"$TTY\" 2>&1", "sh", file, .. args], new ProcOptions
        {
            Env = new Dictionary<string, string?>(options?.Env ?? new Dictionary<string, string?>()) { ["TTY"] = SlavePath },
            Timeout = options?.Timeout ?? TimeSpan.FromSeconds(30),
        });

    /// <summary>Types <paramref name="text"/> (control characters such as "\x03" included).</summary>
    public unsafe void Type(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
            if (write(_master, p, bytes.Length) != bytes.Length)
                throw new IOException("write to the pseudo-terminal failed");
    }

    /// <summary>Waits until the terminal shows <paramref name="text"/> after what earlier calls matched; returns the text up to it.</summary>
    public string Expect(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            int at = Output.IndexOf(text, _consumed, StringComparison.Ordinal);
            if (at >= 0)
            {
                string seen = Output[_consumed..(at + text.Length)];
                _consumed = at + text.Length;
                return seen;
            }
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !ReadSome(left))
                throw new TimeoutException($"the terminal did not show \"{text}\"; it showed:\n{Output}");
        }
    }

    /// <summary>Reads what is available within <paramref name="timeout"/>; false at end of file (every slave closed).</summary>
    private unsafe bool ReadSome(TimeSpan timeout)
    {
        var poll = new PollFd { Fd = _master, Events = POLLIN };
        if (Poll(&poll, 1, (int)Math.Min(timeout.TotalMilliseconds, 100)) <= 0) return true;
        byte* buffer = stackalloc byte[4096];
        nint n = read(_master, buffer, 4096);
        if (n <= 0) return false; // EIO once the last slave descriptor is closed
        _output.Append(Encoding.UTF8.GetString(buffer, (int)n));
        return true;
    }

    public void Dispose() => close(_master);

    private const int O_RDWR = 2, O_NOCTTY = 0x100;
    private const short POLLIN = 1;

    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int posix_openpt(int flags);
    [LibraryImport("libc", SetLastError = true)]
    private static partial int grantpt(int fd);
    [LibraryImport("libc", SetLastError = true)]
    private static partial int unlockpt(int fd);
    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int ptsname_r(int fd, byte* buffer, nint length);
    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint read(int fd, byte* buffer, nint count);
    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial nint write(int fd, byte* buffer, nint count);
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMs);
    [LibraryImport("libc", SetLastError = true)]
    private static partial int close(int fd);
}
