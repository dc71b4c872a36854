using System.Runtime.InteropServices;
using System.Text;

using Init.Interop;
using Init.Logging;
using Init.Spec.Toml;
using Tomlyn;

namespace Init.Spec;

/// <summary>Reads and validates a spec file. Nothing has side effects before this succeeds.</summary>
internal static class SpecLoader
{
    internal const string DefaultPath = "/etc/init/network.toml";

    /// <summary>A spec is a page of TOML; anything this large is the wrong file, not a spec to parse as PID 1.</summary>
    private const int MaxBytes = 1 << 20;

    /// <summary>
    /// Loads <paramref name="path"/> (bytes, as the init was given it). A missing file is <see cref="InitSpec.Empty"/>
    /// when it is the default path and not named explicitly; otherwise every problem is reported at once in a
    /// <see cref="SpecException"/>. <paramref name="environment"/> answers the network strings' <c>${VAR}</c>
    /// (getenv over the init's raw environment); without it, only defaults resolve.
    /// </summary>
    internal static InitSpec Load(byte[] path, bool explicitlyNamed, Func<string, byte[]?>? environment = null)
    {
        var errors = new SpecErrors(Printable.Of(path));
        byte[]? content = Read(path, errors, out bool missing);
        if (missing && !explicitlyNamed)
            return InitSpec.Empty;
        TomlTableNode? root = content is null ? null : Parse(content, errors);
        errors.ThrowIfAny();
        InitSpec spec = Validate(new TableReader(root!, "", errors),
            environment is null ? EnvironmentSubstitution.None : new EnvironmentSubstitution(environment));
        errors.ThrowIfAny();
        return spec;
    }

    /// <summary>For callers holding a path as text (tests, tools).</summary>
    internal static InitSpec Load(string path, bool explicitlyNamed, Func<string, byte[]?>? environment = null) =>
        Load(Encoding.UTF8.GetBytes(path), explicitlyNamed, environment);

    /// <summary>
    /// The file's bytes, or null with the reason in <paramref name="errors"/>. The path is untrusted: only a regular
    /// file (symlinks followed) is read, and at most <see cref="MaxBytes"/> + 1 bytes of it. It is opened
    /// non-blocking (a FIFO must not hang the init before fstat can tell what it is) and without taking a terminal
    /// as the init's controlling one; a device such as /dev/zero is refused before a single byte is read.
    /// </summary>
    internal static unsafe byte[]? Read(byte[] path, SpecErrors errors, out bool missing)
    {
        var start = new Position(1, 1);
        missing = false;
        int fd;
        fixed (byte* name = (byte[])[.. path, 0])
            fd = Libc.open(name, Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            missing = errno == LibcErrno.ENOENT;
            // open(2) says ENXIO for a socket; name it like the other kinds.
            errors.Add(start, "(file)", errno == LibcErrno.ENXIO && FileKind.NotRegular(path) is { } kind
                ? $"not a regular file: {kind}" : $"cannot read: {LibcErrno.Text(errno)}");
            return null;
        }
        try
        {
            if (FileKind.NotRegular(fd) is { } notRegular)
                errors.Add(start, "(file)", $"not a regular file: {notRegular}");
            else if (ReadAtMost(fd, MaxBytes + 1) is { Length: <= MaxBytes } content)
                return content;
            else
                errors.Add(start, "(file)", $"larger than {MaxBytes / 1024} KiB: not a spec");
        }
        catch (ErrnoException e)
        {
            errors.Add(start, "(file)", $"cannot read: {LibcErrno.Text(e.Number)}");
        }
        finally
        {
            Libc.close(fd);
        }
        return null;
    }

    /// <summary>Up to <paramref name="limit"/> bytes, fewer if the file ends first.</summary>
    private static unsafe byte[] ReadAtMost(int fd, int limit)
    {
        byte[] content = new byte[Math.Min(4096, limit)];
        int length = 0;
        while (length < limit)
        {
            if (length == content.Length) Array.Resize(ref content, Math.Min(content.Length * 2, limit));
            nint count;
            fixed (byte* free = &content[length]) count = Libc.read(fd, free, content.Length - length);
            if (count == 0) break;
            if (count > 0) length += (int)count;
            else if (Marshal.GetLastPInvokeError() is var errno && errno != LibcErrno.EINTR) throw new ErrnoException("read", errno);
        }
        return content.AsSpan(0, length).ToArray();
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

    /// <summary>The network keys (only they) see the environment: [workload] and [init] strings reach the workload as written.</summary>
    private static InitSpec Validate(TableReader root, EnvironmentSubstitution variables)
    {
        if (root.Node("version") is { } version && version is not TomlValueNode { Value: 1L })
            root.Errors.Add(version.At, "version", version is TomlValueNode { Value: long }
                ? $"unsupported version {((TomlValueNode)version).Text}: this init reads version 1"
                : $"expected the integer 1, got {version.TypeName}");
        var spec = new InitSpec(InitSection.Read(root), WorkloadSection.Read(root))
        {
            Network = NetworkSection.Read(root.Substituting(variables)),
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

    private static List<string> Format(IReadOnlyList<SpecError> errors, int omitted)
    {
        List<string> lines = new(errors.Count + 1);
        foreach (SpecError error in errors)
            lines.Add(error.ToString());
        if (omitted > 0 && errors.Count > 0)
            lines.Add($"{errors[0].File}: … and {omitted} more error{(omitted == 1 ? "" : "s")}");
        return lines;
    }
}
