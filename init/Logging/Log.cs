using System.Text;

namespace Init.Logging;

/// <summary>Logs go to fd 2 with write(2): unbuffered, never through System.Console.</summary>
internal static class Log
{
    internal static unsafe void Error(string message)
    {
        byte[] line = Encoding.UTF8.GetBytes("init: " + message + "\n");
        fixed (byte* p = line) Libc.write(2, p, line.Length);
    }
}
