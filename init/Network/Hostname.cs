using System.Runtime.InteropServices;
using System.Text;
using Init.Interop;

namespace Init.Network;

/// <summary>The kernel's hostname (of the UTS namespace the init runs in).</summary>
internal static class Hostname
{
    internal static unsafe string Current()
    {
        byte* name = stackalloc byte[65]; // HOST_NAME_MAX + NUL
        if (Libc.gethostname(name, 65) != 0)
            throw SetupErrors.System("get hostname", Marshal.GetLastPInvokeError(), null);
        return Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(name));
    }

    /// <summary>
    /// Sets the hostname unless the kernel already has it: <c>docker run --hostname NAME</c> sets it for us, and
    /// sethostname(2) needs CAP_SYS_ADMIN, which containers rarely have. Returns whether it changed anything.
    /// </summary>
    internal static unsafe bool Set(string hostname)
    {
        if (Current() == hostname)
            return false;
        byte[] bytes = Encoding.UTF8.GetBytes(hostname);
        fixed (byte* name = bytes)
        {
            if (Libc.sethostname(name, bytes.Length) == 0)
                return true;
        }
        int errno = Marshal.GetLastPInvokeError();
        throw SetupErrors.System($"set hostname {hostname}", errno, errno == LibcErrno.EPERM
            ? $"setting the hostname needs CAP_SYS_ADMIN; docker run --hostname {hostname} sets it instead "
              + "(the init then leaves it alone), or docker run --cap-add SYS_ADMIN"
            : null);
    }
}
