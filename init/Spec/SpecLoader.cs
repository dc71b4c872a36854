using Init.Spec.Toml;
using Tomlyn;

namespace Init.Spec;

/// <summary>Reads and validates a spec file. Nothing has side effects before this succeeds.</summary>
internal static class SpecLoader
{
    internal const string DefaultPath = "/etc/init/network.toml";

    /// <summary>A spec is a page of TOML; anything this large is the wrong file, not a spec to parse as PID 1.</summary>
    private const long MaxBytes = 1 << 20;

    /// <summary>
    /// Loads <paramref name="path"/>. A missing file is <see cref="InitSpec.Empty"/> when it is the default
    /// path and not named explicitly; otherwise every problem is reported at once in a <see cref="SpecException"/>.
    /// </summary>
    internal static InitSpec Load(string path, bool explicitlyNamed)
    {
        if (!Path.Exists(path) && !explicitlyNamed)
            return InitSpec.Empty;
        var errors = new SpecErrors(path);
        byte[]? bytes = Read(path, errors);
        TomlTableNode? root = bytes is null ? null : Parse(bytes, errors);
        errors.ThrowIfAny();
        InitSpec spec = Validate(new TableReader(root!, "", errors));
        errors.ThrowIfAny();
        return spec;
    }

    private static byte[]? Read(string path, SpecErrors errors)
    {
        var start = new Position(1, 1);
        try
        {
            if (Directory.Exists(path))
            {
                errors.Add(start, "(file)", "cannot read: Is a directory");
                return null;
            }
            if (new FileInfo(path).Length > MaxBytes)
            {
                errors.Add(start, "(file)", $"larger than {MaxBytes / 1024} KiB: not a spec");
                return null;
            }
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            errors.Add(start, "(file)", "cannot read: No such file or directory");
        }
        catch (UnauthorizedAccessException)
        {
            errors.Add(start, "(file)", "cannot read: Permission denied");
        }
        catch (IOException e)
        {
            errors.Add(start, "(file)", $"cannot read: {e.Message}");
        }
        return null;
    }

    private static TomlTableNode? Parse(byte[] bytes, SpecErrors errors)
    {
        try
        {
            return TomlTree.Parse(bytes, errors);
        }
        catch (TomlException e)
        {
            errors.Add(new Position(Math.Max(1, e.Line ?? 1), Math.Max(1, e.Column ?? 1)), "toml", e.Message);
            return null;
        }
    }

    private static InitSpec Validate(TableReader root)
    {
        if (root.Node("version") is { } version && version is not TomlValueNode { Value: 1L })
            root.Errors.Add(version.At, "version", version is TomlValueNode { Value: long }
                ? $"unsupported version {((TomlValueNode)version).Text}: this init reads version 1"
                : $"expected the integer 1, got {version.TypeName}");
        var spec = new InitSpec(SettingsSection.Init(root), SettingsSection.Workload(root))
        {
            Network = NetworkSection.Read(root),
            System = SystemSection.Read(root),
        };
        root.RejectUnknownKeys();
        return spec;
    }
}

/// <summary>One problem in a spec file, located.</summary>
internal sealed record SpecError(string File, int Line, int Column, string KeyPath, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {KeyPath}: {Message}";
}

/// <summary>
/// The problems found in a spec file: the first <see cref="SpecErrors.MaxReported"/> by position, and how many
/// more there were. The message (and <see cref="Lines"/>) lists them one per line.
/// </summary>
internal sealed class SpecException(IReadOnlyList<SpecError> errors, int omitted)
    : Exception(string.Join('\n', Format(errors, omitted)))
{
    internal IReadOnlyList<SpecError> Errors { get; } = errors;

    /// <summary>Errors not in <see cref="Errors"/>: counted, not kept.</summary>
    internal int Omitted { get; } = omitted;

    /// <summary>One line per error, then "… and N more errors" when some were omitted.</summary>
    internal IEnumerable<string> Lines => Format(Errors, Omitted);

    private static IEnumerable<string> Format(IReadOnlyList<SpecError> errors, int omitted) =>
        omitted == 0 || errors.Count == 0
            ? errors.Select(error => error.ToString())
            : errors.Select(error => error.ToString()).Append($"{errors[0].File}: … and {omitted} more error{(omitted == 1 ? "" : "s")}");
}
