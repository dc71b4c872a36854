using Init.Machine;
using Init.Spec;
using Init.Tests.Spec;
using Xunit;

using static Init.Interop.Libc;

namespace Init.Tests.VirtualMachine;

/// <summary>[system] as the spec reads it, mount(8)'s options as mount(2) gets them, and init.spec= on the kernel command line.</summary>
public class SystemSpecTests
{
    [Fact]
    public void ASystemTableIsReadInOrder()
    {
        InitSpec spec = SpecFile.Load("""
            [system]
            modules = ["/lib/modules/a.ko", "/lib/modules/b.ko"]
            switch_root = "/newroot/"
            [[system.mount]]
            source = "share"
            target = "/srv"
            type = "virtiofs"
            [[system.mount]]
            target = "/mnt/t"
            type = "tmpfs"
            options = "size=1m"
            """);
        Assert.Equal(["/lib/modules/a.ko", "/lib/modules/b.ko"], spec.System!.Modules);
        Assert.Equal([new MountSpec("share", "/srv", "virtiofs", ""), new MountSpec("none", "/mnt/t", "tmpfs", "size=1m")],
            spec.System.Mounts);
        Assert.Equal("/newroot", spec.System.SwitchRoot);
    }

    [Fact]
    public void NoSystemTableMeansNoSystemDuties() => Assert.Null(SpecFile.Load("hostname = \"a\"").System);

    [Theory]
    [InlineData("[system]\nmodule = []", "2:1: system.module: unknown key; did you mean \"modules\"?")]
    [InlineData("[system]\nmodules = [\"virtio_net.ko\"]", "2:12: system.modules[0]: \"virtio_net.ko\" is not an absolute path")]
    [InlineData("[system]\nmodules = \"/a.ko\"", "2:11: system.modules: expected an array, got a string")]
    [InlineData("[system]\n[system.mount]\ntarget = \"/a\"", "2:1: system.mount: expected an array of tables, got a table: write [[system.mount]]")]
    [InlineData("[[system.mount]]\ntype = \"tmpfs\"", "1:1: system.mount[0].target: missing (the absolute path to mount on)")]
    [InlineData("[[system.mount]]\ntarget = \"/a\"", "1:1: system.mount[0].type: missing (the filesystem type: \"ext4\", \"virtiofs\", \"9p\", \"tmpfs\"; \"none\" with options = \"bind\")")]
    [InlineData("[[system.mount]]\ntarget = \"mnt\"\ntype = \"tmpfs\"", "2:10: system.mount[0].target: \"mnt\" is not an absolute path")]
    [InlineData("[[system.mount]]\ntarget = \"/a\"\ntype = \"\"", "3:8: system.mount[0].type: must not be empty")]
    [InlineData("[[system.mount]]\ntarget = \"/a\"\ntype = \"tmpfs\"\noption = \"ro\"", "4:1: system.mount[0].option: unknown key; did you mean \"options\"?")]
    [InlineData("[[system.mount]]\ntarget = \"/a\"\ntype = \"tmpfs\"\noptions = [\"ro\"]", "4:11: system.mount[0].options: expected a string, got an array")]
    [InlineData("[sytem]\nmodules = []", "1:2: sytem: unknown key; did you mean \"system\"?")]
    [InlineData("[system]\nswitch_root = \"newroot\"", "2:15: system.switch_root: \"newroot\" is not an absolute path")]
    [InlineData("[system]\nswitch_root = \"//\"", "2:15: system.switch_root: is the root already: give the mount point of the new root")]
    [InlineData("[system]\nswitch_root = \"/newroot\"\n[workload]\nuser = \"app\"", "4:1: workload.user: cannot be used with system.switch_root: the user would be looked up in the initramfs, not in the new root (start the workload through setpriv or su instead)")]
    public void BadSystemTablesAreRefusedWithAPosition(string toml, string expected) =>
        Assert.Equal(expected, string.Join('\n', SpecFile.Errors(toml)));

    [Theory]
    [InlineData("", 0UL, null)]
    [InlineData("defaults", 0UL, null)]
    [InlineData("ro,nosuid,nodev,noexec,relatime", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME, null)]
    [InlineData("ro,rw", 0UL, null)]
    [InlineData("nosuid,size=1m,mode=0700", MS_NOSUID, "size=1m,mode=0700")]
    [InlineData("trans=virtio,version=9p2000.L,ro", MS_RDONLY, "trans=virtio,version=9p2000.L")]
    [InlineData("rbind", MS_BIND | MS_REC, null)]
    [InlineData("noatime,atime,lazytime,nosymfollow", MS_LAZYTIME | MS_NOSYMFOLLOW, null)]
    public void OptionsAreSplitIntoFlagsAndDataAsMount8Does(string options, ulong flags, string? data) =>
        Assert.Equal(new MountOptions(flags, data), MountOptions.Parse(options));

    [Theory]
    [InlineData("console=ttyS0 init.spec=/etc/vm.toml quiet", "/etc/vm.toml")]
    [InlineData("init.spec=/a init.spec=/b", "/b")]
    [InlineData("root=/dev/vda \"init.spec=/a b.toml\"", "/a b.toml")]
    [InlineData("console=ttyS0 -- init.spec=/etc/vm.toml", null)]
    [InlineData("init.spec= quiet", null)]
    [InlineData("xinit.spec=/a\n", null)]
    public void TheSpecPathIsTakenFromTheKernelCommandLine(string commandLine, string? expected) =>
        Assert.Equal(expected, KernelCommandLine.SpecPathIn(commandLine));
}
