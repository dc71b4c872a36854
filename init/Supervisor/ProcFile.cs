using System.Text;

using Init.Interop;

namespace Init.Supervisor;

/// <summary>Reads /proc files with plain open/read/close, and "Name:\tvalue" lines of /proc/PID/status.</summary>
internal static class ProcFile
{
    /// <summary>The value of <paramref name="field"/>, or null when the file or the field is gone.</summary>
    internal static string? StatusField(string statusPath, string field)
    {
        byte[] key = Encoding.UTF8.GetBytes(field + ":");
        ReadOnlySpan<byte> rest = Read(statusPath);
        while (!rest.IsEmpty)
        {
            int end = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? rest : rest[..end];
            if (line.StartsWith(key)) return Encoding.UTF8.GetString(line[key.Length..]).Trim();
            rest = end < 0 ? [] : rest[(end + 1)..];
        }
        return null;
    }

    /// <summary>
    /// The whole file with open/read/close (empty when it is gone, e.g. a process that exited meanwhile):
    /// FileStream would add an fstat and a flock pair.
    /// </summary>
    internal static unsafe ReadOnlySpan<byte> Read(string path)
    {
        int fd;
        fixed (byte* name = Encoding.UTF8.GetBytes(path + "\0"))
            fd = Libc.open(name, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0) return [];
        try
        {
            byte[] content = new byte[4096];
            int length = 0;
            while (true)
            {
                if (length == content.Length) Array.Resize(ref content, content.Length * 2);
                nint count;
                fixed (byte* free = &content[length]) count = Libc.read(fd, free, content.Length - length);
                if (count < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == LibcErrno.EINTR) continue;
                if (count <= 0) return content.AsSpan(0, length);
                length += (int)count;
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }
}
