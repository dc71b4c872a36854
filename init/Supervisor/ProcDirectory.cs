using Init.Interop;

namespace Init.Supervisor;

/// <summary>
/// Lists the numbered entries of a /proc directory (descriptors, tasks) with opendir/readdir alone: one getdents
/// for the lot, where System.IO's enumeration adds a stat, an lstat and a readlink per entry.
/// </summary>
internal static class ProcDirectory
{
    /// <summary>
    /// The numbered entries of <paramref name="path"/> (NUL-terminated), null when it cannot be opened, with the
    /// errno in <paramref name="error"/>: ENOENT without /proc, but EMFILE at the descriptor limit is no reason
    /// to say "no /proc". <paramref name="listing"/> is the descriptor the listing itself used, already closed on return.
    /// </summary>
    internal static unsafe List<int>? Numbers(ReadOnlySpan<byte> path, out int listing, out int error)
    {
        listing = -1;
        error = 0;
        nint directory;
        fixed (byte* name = path) directory = Libc.opendir(name);
        if (directory == 0)
        {
            error = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            return null;
        }
        var numbers = new List<int>();
        try
        {
            listing = Libc.dirfd(directory);
            for (DirEntry* entry = Libc.readdir(directory); entry is not null; entry = Libc.readdir(directory))
                if (Number(entry->Name) is int number) numbers.Add(number);
        }
        finally
        {
            Libc.closedir(directory);
        }
        return numbers;
    }

    /// <summary>A name made of decimal digits only (not ".", "..", "self"…).</summary>
    private static unsafe int? Number(byte* name)
    {
        if (*name == 0) return null;
        long value = 0;
        for (; *name != 0; name++)
        {
            if (*name is < (byte)'0' or > (byte)'9' || value > int.MaxValue / 10) return null;
            value = value * 10 + (*name - '0');
        }
        return value <= int.MaxValue ? (int)value : null;
    }
}
