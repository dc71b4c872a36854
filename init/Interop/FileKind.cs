using System.Runtime.InteropServices;

namespace Init.Interop;

/// <summary>What a file is, to refuse anything but the expected kind by name ("a FIFO", "a directory"…).</summary>
internal static unsafe class FileKind
{
    private const ushort TypeMask = 0xF000, Regular = 0x8000, Directory = 0x4000;

    /// <summary>Null for a regular file (or when statx fails: the read that follows then reports the error).</summary>
    internal static string? NotRegular(int fd)
    {
        Statx status;
        fixed (byte* empty = "\0"u8)
            return Libc.statx(fd, empty, Libc.AT_EMPTY_PATH, Libc.STATX_TYPE, &status) == 0 && !Is(status, Regular)
                ? Describe(status.Mode) : null;
    }

    /// <summary>The same by path (symlinks followed), for what cannot be opened to ask (a socket).</summary>
    internal static string? NotRegular(byte[] path) =>
        OfPath(path, out Statx status) == 0 && !Is(status, Regular) ? Describe(status.Mode) : null;

    /// <summary>0 when <paramref name="path"/> is a directory (symlinks followed), else the errno opening it as one would give.</summary>
    internal static int DirectoryError(byte[] path) =>
        OfPath(path, out Statx status) is var error && error != 0 ? error : Is(status, Directory) ? 0 : LibcErrno.ENOTDIR;

    private static int OfPath(byte[] path, out Statx status)
    {
        Statx result;
        int error;
        fixed (byte* name = (byte[])[.. path, 0])
            error = Libc.statx(Libc.AT_FDCWD, name, 0, Libc.STATX_TYPE, &result) == 0 ? 0 : Marshal.GetLastPInvokeError();
        status = result;
        return error;
    }

    private static bool Is(Statx status, ushort type) => (status.Mode & TypeMask) == type;

    private static string Describe(ushort mode) => (mode & TypeMask) switch
    {
        0x1000 => "a FIFO",
        0x2000 => "a character device",
        Directory => "a directory",
        0x6000 => "a block device",
        0xA000 => "a symbolic link",
        0xC000 => "a socket",
        var other => $"file type 0{Convert.ToString(other, 8)}",
    };
}
