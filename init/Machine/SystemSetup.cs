using Init.Logging;
using Init.Spec;

// A machine's PID 1 (the [system] table). Not "Init.System": that namespace would hide the framework's System
// from every file under Init.
namespace Init.Machine;

/// <summary>A [system] step that failed: the init exits (powers off) with 3, as for a network step, before the workload.</summary>
internal sealed class SystemSetupException(string message) : Exception(message);

/// <summary>
/// What a virtual machine's PID 1 does before the network, in this order (docs/design.md, "VM mode"): the standard
/// mounts, the modules, the spec's mounts (a virtiofs or block-device mount needs its driver first), the switch to
/// the new root if asked, and a watch on the power button if its driver is loaded.
/// </summary>
internal static class SystemSetup
{
    internal static void Apply(SystemSpec system)
    {
        // Ctrl-Alt-Del already arrives as a SIGINT: PowerOff.Detect did reboot(RB_DISABLE_CAD).
        if (!PowerOff.IsMachinePid1)
            throw new SystemSetupException("[system]: the init is not the PID 1 of a machine (it runs in a container's "
                + "PID namespace, or not as PID 1); mounts, modules and the power-off are for a virtual machine's PID 1");
        Mounts.MountStandard();
        KernelModules.Load(system.Modules);
        foreach (MountSpec mount in system.Mounts)
            Mounts.Mount(mount);
        if (system.SwitchRoot is { } newRoot)
            SwitchRoot.Into(newRoot);
        int buttons = PowerButton.Watch();
        Log.Info($"system: mounted {Mounts.Standard.Count} standard and {system.Mounts.Count} listed file systems, "
            + $"loaded {system.Modules.Count} modules; "
            + (buttons > 0 ? "the power button stops the machine" : "no power button device (button.ko, evdev.ko)"));
    }
}
