using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

using Init.Interop;
using Init.Logging;
using Init.Supervisor;

using static Init.Interop.SignalNames;

namespace Init.Machine;

/// <summary>
/// The ACPI power button (QEMU's system_powerdown, a hypervisor's "shut down"): the kernel's button driver
/// (button.ko) reports it only as KEY_POWER on an input device named "Power Button", readable through evdev
/// (evdev.ko). A thread per such device reads it and, on a press, queues a SIGTERM to the init, which the supervisor
/// takes as it takes docker stop: the workload gets SIGTERM, then the shutdown and the power-off. Without those
/// modules loaded there is no device, and the button does nothing.
/// </summary>
internal static class PowerButton
{
    private const string DeviceName = "Power Button";
    private const ushort EV_KEY = 1, KEY_POWER = 116;
    /// <summary><c>struct input_event</c> on 64-bit: a 16-byte timeval, then type, code (u16) and value (s32).</summary>
    private const int EventSize = 24;
    /// <summary>si_code of sigqueue(3): the only kind a thread other than the main one may queue to its process.</summary>
    private const int SI_QUEUE = -1;

    /// <summary>Starts watching every "Power Button" input device; returns how many (0: the button cannot stop the machine).</summary>
    internal static int Watch()
    {
        int watched = 0;
        foreach (string eventDirectory in Directory.Exists("/sys/class/input") ? Directory.GetDirectories("/sys/class/input", "event*") : [])
        {
            string nameFile = Path.Combine(eventDirectory, "device", "name");
            if (!File.Exists(nameFile) || File.ReadAllText(nameFile).Trim() != DeviceName)
                continue;
            string device = "/dev/input/" + Path.GetFileName(eventDirectory);
            int fd = Open(device);
            if (fd < 0)
            {
                Log.Warn($"power button {device}: {LibcErrno.Describe(Marshal.GetLastPInvokeError())}");
                continue;
            }
            new Thread(() => ReadPresses(fd, device)) { IsBackground = true, Name = "power button" }.Start();
            watched++;
        }
        return watched;
    }

    private static unsafe int Open(string device)
    {
        fixed (byte* path = Encoding.UTF8.GetBytes(device + "\0"))
            return Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
    }

    /// <summary>Blocks in read(2) for good.</summary>
    private static unsafe void ReadPresses(int fd, string device)
    {
        Signals.BlockAwaitedInThisThread();
        byte[] events = new byte[EventSize * 16];
        while (true)
        {
            nint count;
            fixed (byte* buffer = events) count = Libc.read(fd, buffer, events.Length);
            if (count < 0 && Marshal.GetLastPInvokeError() == LibcErrno.EINTR) continue;
            if (count <= 0)
            {
                Log.Warn($"power button {device}: read: {(count < 0 ? LibcErrno.Describe(Marshal.GetLastPInvokeError()) : "end of file")}; no longer watched");
                return;
            }
            for (int offset = 0; offset + EventSize <= count; offset += EventSize)
            {
                ReadOnlySpan<byte> inputEvent = events.AsSpan(offset, EventSize);
                if (BinaryPrimitives.ReadUInt16LittleEndian(inputEvent[16..]) == EV_KEY
                    && BinaryPrimitives.ReadUInt16LittleEndian(inputEvent[18..]) == KEY_POWER
                    && BinaryPrimitives.ReadInt32LittleEndian(inputEvent[20..]) == 1)
                    QueueStopRequest();
            }
        }
    }

    private static unsafe void QueueStopRequest()
    {
        Log.Info("power button pressed: stopping the workload with SIGTERM");
        // Sender pid 0, not the init's: the supervisor drops signals the init raised itself (glibc's sigqueue would
        // put getpid() there), and forwards this one.
        var info = new SigInfo { Signal = SIGTERM, Code = SI_QUEUE, SenderPid = 0 };
        if (Libc.syscall(Libc.SYS_rt_sigqueueinfo, Libc.getpid(), SIGTERM, (long)&info) != 0)
            Log.Error($"power button: rt_sigqueueinfo(SIGTERM): {LibcErrno.Describe(Marshal.GetLastPInvokeError())}");
    }
}
