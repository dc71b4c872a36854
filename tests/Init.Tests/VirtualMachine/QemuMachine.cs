using System.Net.Sockets;
using System.Text;

using Init.Tests.Harness;

namespace Init.Tests.VirtualMachine;

/// <summary>
/// out/init as PID 1 of a real kernel: Debian's linux-image-amd64 under qemu-system-x86_64 (TCG), booted from the
/// uncompressed vmlinux with an initramfs built by vm-image.sh, a virtio-net NIC on a tap device in a throwaway
/// network namespace (the host side is 10.200.N.1/24; QEMU runs inside that namespace, never in the host's), and a
/// monitor socket to send keys. Dispose kills QEMU by its PID and removes the namespace and the files, also after
/// a failure.
/// </summary>
public sealed class QemuMachine : IDisposable
{
    private static int s_counter;
    private readonly TempDir _files = new();
    private RunningProc? _qemu;

    public string Namespace { get; }
    /// <summary>The host side of the NIC; the guest is expected at .2 of the same /24.</summary>
    public string HostAddress { get; }
    public string GuestAddress { get; }

    private string MonitorSocket => _files["monitor.sock"];

    private QemuMachine()
    {
        int n = 240 + Interlocked.Increment(ref s_counter) % 10; // 10.200.240-249, only ever inside the namespace
        Namespace = $"vm{Environment.ProcessId}-{n}";
        HostAddress = $"10.200.{n}.1";
        GuestAddress = $"10.200.{n}.2";
    }

    /// <summary>
    /// Builds the initramfs (<paramref name="spec"/> with @HOST@, @GUEST@ and @MODULES@ filled in, placed at
    /// <paramref name="specPath"/>; <paramref name="workload"/> as /workload.sh) and starts the machine.
    /// </summary>
    public static QemuMachine Boot(string spec, string workload, string specPath = "/etc/init/network.toml",
        string kernelArguments = "")
    {
        var machine = new QemuMachine();
        try
        {
            machine.Start(spec, workload, specPath, kernelArguments);
            return machine;
        }
        catch
        {
            machine.Dispose();
            throw;
        }
    }

    private void Start(string spec, string workload, string specPath, string kernelArguments)
    {
        string specFile = _files.Write("spec.toml", spec.Replace("@HOST@", HostAddress).Replace("@GUEST@", GuestAddress));
        string workloadFile = _files.Write("workload.sh", workload.Replace("@HOST@", HostAddress));
        Proc.Must(Path.Combine(Repo.Root, "tests", "Init.Tests", "VirtualMachine", "vm-image.sh"),
            _files.Path, specFile, workloadFile, specPath);
        Proc.Must("ip", "netns", "add", Namespace);
        Proc.Must("ip", "-n", Namespace, "link", "set", "lo", "up");
        Proc.Must("ip", "-n", Namespace, "tuntap", "add", "dev", "tap0", "mode", "tap");
        Proc.Must("ip", "-n", Namespace, "addr", "add", HostAddress + "/24", "dev", "tap0");
        Proc.Must("ip", "-n", Namespace, "link", "set", "tap0", "up");
        _qemu = Proc.Start("ip", ["netns", "exec", Namespace, "qemu-system-x86_64",
            "-M", "pc", "-nodefaults", "-accel", "tcg", "-m", "256", "-display", "none",
            "-kernel", _files["vmlinux"], "-initrd", _files["initramfs.cpio"],
            "-append", $"console=ttyS0 panic=-1 quiet {kernelArguments}".TrimEnd(),
            "-serial", "stdio", "-no-reboot",
            // A guest panic (PID 1 exiting, say) ends QEMU with a failure status instead of a clean exit.
            "-device", "pvpanic", "-action", "panic=exit-failure",
            "-netdev", "tap,id=n0,ifname=tap0,script=no,downscript=no", "-device", "virtio-net-pci,netdev=n0",
            "-monitor", $"unix:{MonitorSocket},server=on,wait=off"],
            new ProcOptions { Timeout = TimeSpan.FromSeconds(120) });
    }

    /// <summary>The serial console so far.</summary>
    public string Console => _qemu!.StdoutSoFar + _qemu.StderrSoFar;

    /// <summary>Polls the console until it shows <paramref name="text"/>.</summary>
    public void WaitForConsole(string text, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!Console.Contains(text, StringComparison.Ordinal))
        {
            if (_qemu!.HasExited || DateTime.UtcNow > deadline)
                throw new TimeoutException($"the console never showed \"{text}\"; it holds:\n{Console}");
            Thread.Sleep(50);
        }
    }

    /// <summary>A monitor command, e.g. "sendkey ctrl-alt-delete"; returns the monitor's answer.</summary>
    public string Monitor(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(MonitorSocket));
        socket.ReceiveTimeout = 5000;
        var answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        ReadUntilPrompt();
        socket.Send(Encoding.ASCII.GetBytes(command + "\n"));
        ReadUntilPrompt();
        return answer.ToString();

        void ReadUntilPrompt()
        {
            answer.Clear();
            while (!answer.ToString().Contains("(qemu)", StringComparison.Ordinal))
                answer.Append(Encoding.ASCII.GetString(buffer, 0, socket.Receive(buffer)));
        }
    }

    /// <summary>Waits for QEMU to end by itself (the guest powered off, or panicked).</summary>
    public ProcResult WaitForExit() => _qemu!.Wait();

    public void Dispose()
    {
        _qemu?.Dispose(); // kills QEMU (and the ip netns exec it replaced) by its PID if still running
        Proc.Run("ip", ["netns", "del", Namespace]);
        _files.Dispose();
    }
}
