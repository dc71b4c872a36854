using System.Runtime.InteropServices;
using System.Text;
using Init.Interop;

namespace Init.Network;

/// <summary>
/// Writes /etc/hostname, /etc/hosts and /etc/resolv.conf in place: open with O_TRUNC, write, close. docker
/// bind-mounts these three files, so a rename over them fails (EBUSY) and a new inode would never be seen
/// through the mount; the same inode keeps whatever mount and owner the runtime gave it.
/// </summary>
internal static class InPlaceFile
{
    /// <param name="root">Where / is: "/" for the init, a scratch directory in tests.</param>
    /// <param name="path">The absolute path as the container sees it; messages use it.</param>
    internal static unsafe void Write(string root, string path, string content)
    {
        string file = Path.Combine(root, path.TrimStart('/'));
        CreateDirectory(path, Path.GetDirectoryName(file)!);
        byte[] bytes = Encoding.UTF8.GetBytes(content);
        int fd;
        fixed (byte* name = Encoding.UTF8.GetBytes(file + "\0"))
            fd = Libc.open(name, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC | Libc.O_CLOEXEC, 0b110_100_100); // 0644 when created
        if (fd < 0)
            throw Failed(path, Marshal.GetLastPInvokeError());
        try
        {
            fixed (byte* start = bytes)
            {
                for (int done = 0; done < bytes.Length;)
                {
                    nint written = Libc.write(fd, start + done, bytes.Length - done);
                    if (written > 0)
                        done += (int)written;
                    else if (written == 0) // no progress and no errno to tell why: never loop on it
                        throw Failed(path, LibcErrno.EIO);
                    else if (Marshal.GetLastPInvokeError() is var errno && errno != LibcErrno.EINTR)
                        throw Failed(path, errno);
                }
            }
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>A scratch image may have no /etc at all.</summary>
    private static void CreateDirectory(string path, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NetworkSetupException($"write {path}: cannot create {Path.GetDirectoryName(path)}: {e.Message}");
        }
    }

    private static NetworkSetupException Failed(string path, int errno) =>
        SetupErrors.System($"write {path}", errno, errno == LibcErrno.EROFS
            ? $"{path} is mounted read-only; mount it writable, or remove what writes it from the spec"
            : null);
}
