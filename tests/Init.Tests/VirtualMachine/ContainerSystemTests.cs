using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.VirtualMachine;

/// <summary>The VM duties stay out of containers: PID 1 of a PID namespace is no machine's PID 1.</summary>
[Trait("Needs", "root")]
public class ContainerSystemTests
{
    /// <summary>
    /// A [system] table as PID 1 of a PID namespace (root, CAP_SYS_BOOT: reboot(2) there would signal the init):
    /// nothing is mounted, the init exits 3 with the reason, and no status line or power-off follows.
    /// </summary>
    [Fact]
    public void ASystemTableInAContainerIsRefusedBeforeAnyMount()
    {
        using var dir = new TempDir();
        string spec = dir.Write("spec.toml", "[system]\n[[system.mount]]\ntarget = \"" + dir["mnt"] + "\"\ntype = \"tmpfs\"\n");
        ProcResult result = Pid1.Run(["-s", spec, Repo.Busybox, "true"]);
        result.AssertExit(3);
        Assert.Contains("init: error: [system]: the init is not the PID 1 of a machine", result.Stderr);
        Assert.DoesNotContain("init: exit status", result.Stderr);
        Assert.False(Directory.Exists(dir["mnt"]));
    }
}
