namespace Init.Spec;

/// <summary>
/// Reads <c>[system]</c>: what PID 1 of a virtual machine does before the network (docs/spec.md, "[system]").
/// Its presence is what switches the VM duties on; a container's spec has none.
/// </summary>
internal static class SystemSection
{
    internal static SystemSpec? Read(TableReader root)
    {
        if (root.Table("system") is not { } system)
            return null;
        List<string> modules = NetworkSection.Values(system.Valid(system.Strings("modules"), AbsolutePath));
        List<MountSpec> mounts = [];
        foreach (TableReader table in system.Tables("mount") ?? [])
            if (Mount(table) is { } mount)
                mounts.Add(mount);
        string? switchRoot = SwitchRoot(root, system);
        system.RejectUnknownKeys();
        return new SystemSpec(mounts, modules) { SwitchRoot = switchRoot };
    }

    private static MountSpec? Mount(TableReader mount)
    {
        string? target = mount.Checked(mount.String("target"), AbsolutePath);
        string? type = mount.Checked(mount.String("type"), FilesystemType);
        string source = mount.Checked(mount.String("source"), TextRules.NoNul) ?? "none";
        string options = mount.Checked(mount.String("options"), TextRules.NoNul) ?? "";
        if (!mount.Has("target"))
            mount.Errors.Add(mount.At, mount.PathOf("target"), "missing (the absolute path to mount on)");
        if (!mount.Has("type"))
            mount.Errors.Add(mount.At, mount.PathOf("type"), "missing (the filesystem type: \"ext4\", \"virtiofs\", \"9p\", \"tmpfs\"; \"none\" with options = \"bind\")");
        mount.RejectUnknownKeys();
        return target is null || type is null ? null : new MountSpec(source, target, type, options);
    }

    /// <summary>
    /// The new root. [workload].user is resolved before any change, from the account files of the root the init
    /// started in, which switch_root leaves behind: the two together would resolve the user in the wrong root.
    /// </summary>
    private static string? SwitchRoot(TableReader root, TableReader system)
    {
        string? newRoot = system.Checked(system.String("switch_root"), NewRoot);
        if (newRoot is not null && root.Node("workload") is Toml.TomlTableNode workload && workload.Find("user") is { } user)
            root.Errors.Add(user.KeyAt, "workload.user", "cannot be used with system.switch_root: the user would be looked "
                + "up in the initramfs, not in the new root (start the workload through setpriv or su instead)");
        return newRoot?.TrimEnd('/');
    }

    private static string? FilesystemType(string text) => text.Length == 0 ? "must not be empty" : TextRules.NoNul(text);

    private static string? NewRoot(string path) =>
        path.TrimEnd('/').Length == 0 ? "is the root already: give the mount point of the new root" : AbsolutePath(path);

    private static string? AbsolutePath(string path) =>
        path.StartsWith('/') ? TextRules.NoNul(path) : $"\"{path}\" is not an absolute path";
}
