using System.Runtime.InteropServices;
using Netlink.Interop;

namespace Netlink.Transport;

/// <summary>
/// An eventfd a blocked receive polls beside its socket, so that another thread (a cancelled token, Dispose) can
/// end the wait at once. A socket's own descriptor cannot be used for that: close() does not wake a poll() on it
/// and netlink sockets do not support shutdown().
/// </summary>
internal sealed unsafe class Wakeup : IDisposable
{
    private readonly FileDescriptor _eventFd = FileDescriptor.Own(Libc.eventfd(0, Libc.EFD_CLOEXEC | Libc.EFD_NONBLOCK), "create eventfd");

    internal FileDescriptor Descriptor => _eventFd;

    /// <summary>Makes the descriptor readable until <see cref="Drain"/>; safe from any thread, and after Dispose.</summary>
    internal void Signal()
    {
        var added = false;
        try
        {
            _eventFd.DangerousAddRef(ref added);
            ulong one = 1;
            Libc.write(_eventFd.Number, &one, sizeof(ulong)); // cannot fail short of 2^64 signals: EAGAIN would leave it readable anyway
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: nobody is left to wake.
        }
        finally
        {
            if (added)
                _eventFd.DangerousRelease();
        }
    }

    /// <summary>Resets it (a wake-up meant for a call that has ended); the caller holds a reference.</summary>
    internal void Drain()
    {
        ulong count;
        Libc.read(_eventFd.Number, &count, sizeof(ulong)); // EAGAIN: nothing to drain
    }

    public void Dispose() => _eventFd.Dispose();
}
