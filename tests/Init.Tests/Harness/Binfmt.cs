using System.Text.RegularExpressions;

namespace Init.Tests.Harness;

/// <summary>
/// Makes aarch64 ELF files runnable on this x86-64 machine: Debian's qemu-user-static registered with binfmt_misc,
/// exactly as its own /usr/lib/binfmt.d/qemu-aarch64.conf says (systemd-binfmt would do the same at boot). The
/// conf's F flag opens the interpreter now, so out/arm64/init also runs inside namespaces, chroots and containers
/// where /usr/libexec/qemu-binfmt does not exist. The build VMs do not mount binfmt_misc, so this mounts it.
/// Idempotent, and left in place: it only gives aarch64 binaries an interpreter, nothing else changes behaviour.
/// </summary>
public static class Binfmt
{
    private const string Root = "/proc/sys/fs/binfmt_misc", Conf = "/usr/lib/binfmt.d/qemu-aarch64.conf";
    private static readonly Lock Gate = new();

    public static void EnsureAarch64()
    {
        lock (Gate)
        {
            if (!File.Exists($"{Root}/register"))
                Proc.Must("mount", "-t", "binfmt_misc", "binfmt_misc", Root);
            if (File.Exists($"{Root}/qemu-aarch64"))
                return;
            if (!File.Exists(Conf))
                throw new FileNotFoundException($"{Conf} is missing: install qemu-user-static (./build.sh installs it)");
            File.WriteAllText($"{Root}/register", File.ReadAllText(Conf).Trim());
        }
    }

    /// <summary>
    /// The init's output less the one line qemu-user makes it print: qemu emulates the guest's signal masks itself,
    /// so /proc/self/task/*/status shows its own host threads' masks and the init's check of its threads warns.
    /// Unchanged for the host's binary.
    /// </summary>
    public static string WithoutEmulationNoise(string output) => Repo.Arch == "arm64"
        ? Regex.Replace(output, @"init: warning: threads [0-9,]+ do not block the forwarded signals\r?\n", "")
        : output;
}
