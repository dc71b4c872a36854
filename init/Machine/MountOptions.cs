using static Init.Interop.Libc;

namespace Init.Machine;

/// <summary>
/// An options string as mount(8) takes it: the generic options become mount(2) flags, everything else
/// (size=, mode=, trans=, the filesystem's own) is passed on as the data string, in order.
/// </summary>
internal readonly record struct MountOptions(ulong Flags, string? Data)
{
    /// <summary>Option → (flags it sets, flags it clears): mount(8)'s table of filesystem-independent options.</summary>
    private static readonly Dictionary<string, (ulong Set, ulong Clear)> Generic = new(StringComparer.Ordinal)
    {
        ["defaults"] = (0, 0),
        ["ro"] = (MS_RDONLY, 0), ["rw"] = (0, MS_RDONLY),
        ["nosuid"] = (MS_NOSUID, 0), ["suid"] = (0, MS_NOSUID),
        ["nodev"] = (MS_NODEV, 0), ["dev"] = (0, MS_NODEV),
        ["noexec"] = (MS_NOEXEC, 0), ["exec"] = (0, MS_NOEXEC),
        ["sync"] = (MS_SYNCHRONOUS, 0), ["async"] = (0, MS_SYNCHRONOUS),
        ["dirsync"] = (MS_DIRSYNC, 0),
        ["mand"] = (MS_MANDLOCK, 0), ["nomand"] = (0, MS_MANDLOCK),
        ["noatime"] = (MS_NOATIME, 0), ["atime"] = (0, MS_NOATIME),
        ["nodiratime"] = (MS_NODIRATIME, 0), ["diratime"] = (0, MS_NODIRATIME),
        ["relatime"] = (MS_RELATIME, 0), ["norelatime"] = (0, MS_RELATIME),
        ["strictatime"] = (MS_STRICTATIME, 0), ["nostrictatime"] = (0, MS_STRICTATIME),
        ["lazytime"] = (MS_LAZYTIME, 0), ["nolazytime"] = (0, MS_LAZYTIME),
        ["nosymfollow"] = (MS_NOSYMFOLLOW, 0),
        ["silent"] = (MS_SILENT, 0), ["loud"] = (0, MS_SILENT),
        ["bind"] = (MS_BIND, 0), ["rbind"] = (MS_BIND | MS_REC, 0),
    };

    /// <summary>Flags a bind mount ignores on its first call; mount(8) applies them with a remount.</summary>
    internal const ulong RemountedForBind = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME
        | MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME | MS_NOSYMFOLLOW;

    internal static MountOptions Parse(string options)
    {
        ulong flags = 0;
        var data = new List<string>();
        foreach (string option in options.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Generic.TryGetValue(option, out var change))
                flags = (flags & ~change.Clear) | change.Set;
            else
                data.Add(option);
        }
        return new MountOptions(flags, data.Count > 0 ? string.Join(',', data) : null);
    }

    internal bool IsBind => (Flags & MS_BIND) != 0;
}
