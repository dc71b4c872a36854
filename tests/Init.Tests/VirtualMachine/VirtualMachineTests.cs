using Xunit;

namespace Init.Tests.VirtualMachine;

/// <summary>
/// The init as PID 1 of a real kernel (docs/design.md, "VM mode"): each test boots one machine (a few seconds
/// under TCG), so they are few, and sequential in this class.
/// </summary>
[Trait("Needs", "root")]
public class VirtualMachineTests
{
    private const string Spec = """
        hostname = "vm-1"

        [system]
        modules = @MODULES@

          [[system.mount]]
          source  = "tmpfs"
          target  = "/mnt/scratch"
          type    = "tmpfs"
          options = "nosuid,nodev,size=1m,mode=0700"

          [[system.mount]]
          source  = "/etc"
          target  = "/mnt/etc"
          type    = "none"
          options = "bind,ro"

        [[interface]]
        name      = "eth0"
        wait      = "carrier"
        addresses = ["@GUEST@/24"]

          [[interface.route]]
          to  = "default"
          via = "@HOST@"

        [workload]
        command = ["/bin/sh", "/workload.sh"]
        """;

    /// <summary>
    /// The whole life of a machine: the standard and listed mounts with their options, the NIC's modules, the
    /// spec's address and route, the host reachable, then the status line and a power-off that ends QEMU with 0
    /// (a panic would end it with a failure).
    /// </summary>
    [Fact]
    public void BootsConfiguresTheNetworkAndPowersOffWithTheWorkloadsStatus()
    {
        using var machine = QemuMachine.Boot(Spec, """
            ip -4 -o addr show dev eth0
            ip route show default
            cut -d' ' -f2-4 /proc/mounts
            touch /mnt/etc/x 2>/dev/null || echo "bind mount: read-only"
            ping -c 1 -W 5 @HOST@ >/dev/null && echo "ping: host reached"
            echo "hostname: $(hostname)"
            sleep 1000 &
            exit 7
            """);
        var result = machine.WaitForExit();
        string console = machine.Console;

        Assert.True(result.ExitCode == 0, console);
        Assert.Contains($"eth0    inet {machine.GuestAddress}/24", console);
        Assert.Contains($"default via {machine.HostAddress} dev eth0", console);
        Assert.Contains("ping: host reached", console);
        Assert.Contains("hostname: vm-1", console);
        foreach (string mount in new[] { "/proc proc", "/sys sysfs", "/dev devtmpfs", "/dev/pts devpts", "/dev/shm tmpfs",
                     "/run tmpfs", "/tmp tmpfs", "/sys/fs/cgroup cgroup2" })
            Assert.Contains(mount + " rw,", console);
        Assert.Contains("/mnt/scratch tmpfs rw,nosuid,nodev,relatime,size=1024k,mode=700", console);
        Assert.Contains("bind mount: read-only", console);
        // The leftover sleep went at the shutdown's SIGTERM: no kernel thread was waited for.
        Assert.DoesNotContain("grace period over", console);
        Assert.Matches(@"(?m)^init: exit status 7\r?$", console);
        Assert.Contains("reboot: Power down", console);
    }

    /// <summary>
    /// switch_root: the initramfs's /newroot (busybox, the workload, /etc/new-root), bind-mounted onto itself to be
    /// a mount point, becomes /; the standard mounts moved along, and the network, /etc/hostname and the workload
    /// happen in the new root.
    /// </summary>
    [Fact]
    public void SwitchRootMakesTheNewRootTheWorkloadsRoot()
    {
        using var machine = QemuMachine.Boot("""
            hostname = "vm-2"

            [system]
            modules     = @MODULES@
            switch_root = "/newroot"

              [[system.mount]]
              source  = "/newroot"
              target  = "/newroot"
              type    = "none"
              options = "bind"

            [[interface]]
            name      = "eth0"
            addresses = ["@GUEST@/24"]

            [workload]
            command = ["/bin/sh", "/workload.sh"]
            """, """
            echo "root: $(cat /etc/new-root); /init $(test -e /init && echo is || echo is not) there"
            echo "etc/hostname: $(cat /etc/hostname)"
            cut -d' ' -f2-3 /proc/mounts
            ping -c 1 -W 5 @HOST@ >/dev/null && echo "ping: host reached"
            exit 4
            """);
        var result = machine.WaitForExit();
        string console = machine.Console;

        Assert.True(result.ExitCode == 0, console);
        Assert.Contains("root: the new root; /init is not there", console);
        Assert.Contains("etc/hostname: vm-2", console);
        foreach (string mount in new[] { "/proc proc", "/sys sysfs", "/dev devtmpfs", "/dev/pts devpts", "/run tmpfs", "/tmp tmpfs" })
            Assert.Contains(mount + "\n", console);
        Assert.Contains("ping: host reached", console);
        Assert.Matches(@"(?m)^init: exit status 4\r?$", console);
    }

    /// <summary>
    /// The spec named by init.spec= on the kernel command line (no default spec exists; /proc, mounted to read it,
    /// is not mounted twice). A stop from the host —
    /// Ctrl-Alt-Del from the monitor (the kernel's SIGINT to PID 1), or the ACPI power button (button.ko and evdev.ko
    /// loaded, the init reads the input device) — reaches the workload as SIGTERM, and the machine powers off with
    /// the workload's 143 within the grace.
    /// </summary>
    [Theory]
    [InlineData("sendkey ctrl-alt-delete", "init: Ctrl-Alt-Del: stopping the workload with SIGTERM")]
    [InlineData("system_powerdown", "init: power button pressed: stopping the workload with SIGTERM")]
    public void AStopFromTheHostStopsTheWorkloadWithTERMAndPowersOff(string monitorCommand, string initSays)
    {
        using var machine = QemuMachine.Boot(Spec + "\n[init]\ngrace = \"2s\"\nlog = \"info\"\n", """
            trap 'echo "workload: got TERM"; exit 143' TERM
            echo "proc mounts: $(grep -c ' /proc proc ' /proc/mounts)"
            echo "workload: ready"
            while :; do sleep 0.1; done
            """, specPath: "/etc/vm.toml", kernelArguments: "init.spec=/etc/vm.toml");
        machine.WaitForConsole("workload: ready");
        machine.Monitor(monitorCommand);
        var result = machine.WaitForExit();
        string console = machine.Console;

        Assert.True(result.ExitCode == 0, console);
        Assert.Contains(initSays, console);
        Assert.Contains("proc mounts: 1", console);
        Assert.Contains("workload: got TERM", console);
        Assert.DoesNotContain("grace period over", console);
        Assert.Matches(@"(?m)^init: exit status 143\r?$", console);
    }

    /// <summary>
    /// A failure before the workload — a [system] step (naming the mount and the errno), a bad spec — is reported,
    /// and the machine still powers off with the init's status (3, 2): never a panic. (A module listed twice is
    /// loaded once: EEXIST is no failure, the mount after it is.)
    /// </summary>
    [Theory]
    [InlineData("[system]\nmodules = [\"/lib/modules/virtio_ring.ko\", \"/lib/modules/virtio_ring.ko\"]\n[[system.mount]]\nsource = \"share\"\ntarget = \"/mnt/share\"\ntype = \"nosuchfs\"\n",
        "init: error: mount share on /mnt/share (nosuchfs): ENODEV (No such device)", 3)]
    [InlineData("[system]\nmodule = []\n", "init: error: /etc/init/network.toml:2:1: system.module: unknown key; did you mean \"modules\"?", 2)]
    public void AFailureBeforeTheWorkloadIsReportedAndTheMachinePowersOff(string spec, string error, int status)
    {
        using var machine = QemuMachine.Boot(spec + "[workload]\ncommand = [\"/bin/true\"]\n", "");
        var result = machine.WaitForExit();
        string console = machine.Console;

        Assert.True(result.ExitCode == 0, console);
        Assert.Contains(error, console);
        Assert.Matches($@"(?m)^init: exit status {status}\r?$", console);
    }
}
