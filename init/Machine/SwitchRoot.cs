using System.Runtime.InteropServices;

using Init.Interop;

namespace Init.Machine;

/// <summary>
/// switch_root(8) without the clean-up: the standard mounts move into the new root, the new root moves onto /,
/// the init chroots into it and goes to its /. The initramfs's files are not deleted (they keep their memory) and
/// stay reachable by nothing: the old root is under the new one.
/// </summary>
internal static class SwitchRoot
{
    internal static unsafe void Into(string newRoot)
    {
        // Read before the first move: /proc moves too.
        HashSet<string> mountPoints = Mounts.MountPoints();
        if (!mountPoints.Contains(newRoot))
            throw new SystemSetupException($"switch_root {newRoot}: not a mount point (mount the new root there with a [[system.mount]])");
        foreach (string top in Mounts.StandardTops)
            if (mountPoints.Contains(top))
                Mounts.Move(top, newRoot + top);
        fixed (byte* target = Mounts.Terminated(newRoot), root = "/\0"u8, here = ".\0"u8)
        {
            Check(Libc.chdir(target), $"switch_root {newRoot}: chdir");
            Check(Libc.mount(here, root, null, Libc.MS_MOVE, null), $"switch_root {newRoot}: move it onto /");
            Check(Libc.chroot(here), $"switch_root {newRoot}: chroot");
            Check(Libc.chdir(root), $"switch_root {newRoot}: chdir /");
        }
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
            throw new SystemSetupException($"{what}: {LibcErrno.Describe(Marshal.GetLastPInvokeError())}");
    }
}
