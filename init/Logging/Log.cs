using System.Runtime.InteropServices;
using System.Text;

using Init.Interop;

namespace Init.Logging;

/// <summary>
/// The init's messages: stderr only, one write(2) per line on fd 2 with no buffer in between, so they interleave
/// in order with the workload's own output on the same descriptor. Never System.Console: as PID 1, with a terminal on stdin,
/// it installs the runtime's SIGCHLD handling, which reaps our children (docs/design.md, ".NET as PID 1").
/// </summary>
internal static class Log
{
    internal const string Prefix = "init: ";

    internal static LogLevel Level { get; set; } = LogLevel.Warn;

    /// <summary>For messages that cost something to build (a join, a listing): build them only when they are shown.</summary>
    internal static bool Shows(LogLevel level) => level <= Level;

    internal static void Error(string message) => Write(LogLevel.Error, message);

    /// <summary>
    /// An error with detail lines (kernel message, hint), each written on a line of its own indented by two
    /// spaces and escaped like the message: the only way a log entry spans lines.
    /// </summary>
    internal static void Error(string message, IEnumerable<string> details)
    {
        var lines = new StringBuilder();
        foreach (string detail in details)
            lines.Append("\n  ").Append(Printable.Escape(detail));
        Write(LogLevel.Error, lines.ToString(), message);
    }
    internal static void Warn(string message) => Write(LogLevel.Warn, message);
    internal static void Info(string message) => Write(LogLevel.Info, message);
    internal static void Debug(string message) => Write(LogLevel.Debug, message);

    internal static void Info(ref LogMessage<AtInfo> message)
    {
        if (Shows(LogLevel.Info)) Write(LogLevel.Info, message.ToStringAndClear());
    }

    internal static void Debug(ref LogMessage<AtDebug> message)
    {
        if (Shows(LogLevel.Debug)) Write(LogLevel.Debug, message.ToStringAndClear());
    }

    /// <summary>Writes text as is to a descriptor (usage and version on stdout, usage errors on stderr).</summary>
    internal static void WriteRaw(int fd, string text) => WriteAll(fd, Encoding.UTF8.GetBytes(text));

    /// <summary>Every line, whatever it quotes, is one line of printable text (<see cref="Printable.Escape"/>).</summary>
    private static void Write(LogLevel level, string message) => Write(level, "", message);

    /// <param name="escapedDetails">Already escaped continuation lines, each starting with a newline.</param>
    private static void Write(LogLevel level, string escapedDetails, string message)
    {
        if (!Shows(level) || s_stderrBroken) return;
        string tag = level switch { LogLevel.Error => "error: ", LogLevel.Warn => "warning: ", _ => "" };
        WriteAll(2, Encoding.UTF8.GetBytes(Prefix + tag + Printable.Escape(message) + escapedDetails + "\n"));
    }

    /// <summary>
    /// Set at the first EPIPE on stderr: the reader is gone for good. Every further write would only fail again and
    /// queue one more SIGPIPE from the init's own pid, whose "not forwarding" debug line would write again: a loop.
    /// </summary>
    private static volatile bool s_stderrBroken;

    /// <summary>Loops over short writes and EINTR; other failures (closed stderr) are dropped: nowhere to report them.</summary>
    private static unsafe void WriteAll(int fd, ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            for (int done = 0; done < bytes.Length;)
            {
                nint written = Libc.write(fd, start + done, bytes.Length - done);
                int errno = written < 0 ? Marshal.GetLastPInvokeError() : 0;
                if (written > 0) done += (int)written;
                else if (errno == LibcErrno.EINTR) continue;
                else
                {
                    if (errno == LibcErrno.EPIPE && fd == 2) s_stderrBroken = true;
                    return;
                }
            }
        }
    }
}
