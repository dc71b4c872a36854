using System.Runtime.InteropServices;
using System.Text;

using Init.Interop;

namespace Init.Machine;

/// <summary>Loads kernel modules from files, in the spec's order (the NIC driver is a module in most distribution kernels).</summary>
internal static class KernelModules
{
    /// <summary>
    /// finit_module(2) on each file, no parameters, no flags: the file must be a plain .ko (a compressed one would
    /// need MODULE_INIT_COMPRESSED_FILE and a kernel built to decompress). Already loaded (EEXIST) is success.
    /// </summary>
    internal static unsafe void Load(IEnumerable<string> paths)
    {
        foreach (string path in paths)
        {
            int fd;
            fixed (byte* file = Encoding.UTF8.GetBytes(path + "\0"))
                fd = Libc.open(file, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0)
                throw new SystemSetupException($"load module {path}: open: {LibcErrno.Describe(Marshal.GetLastPInvokeError())}");
            try
            {
                fixed (byte* noParameters = "\0"u8) // an empty C string; fixed on an empty span would give null (EFAULT)
                    if (Libc.syscall(Libc.SYS_finit_module, fd, (long)noParameters, 0) != 0
                        && Marshal.GetLastPInvokeError() is var errno && errno != LibcErrno.EEXIST)
                        throw new SystemSetupException($"load module {path}: {LibcErrno.Describe(errno)}");
            }
            finally
            {
                Libc.close(fd);
            }
        }
    }
}
