namespace Init.Spec;

/// <summary>Reads and validates a spec file. Nothing has side effects before this succeeds.</summary>
internal static class SpecLoader
{
    internal const string DefaultPath = "/etc/init/network.toml";

    /// <summary>
    /// Loads <paramref name="path"/>. A missing file is <see cref="InitSpec.Empty"/> when it is the default
    /// path and not named explicitly; otherwise every problem is reported at once in a <see cref="SpecException"/>.
    /// </summary>
    internal static InitSpec Load(string path, bool explicitlyNamed)
    {
        if (!File.Exists(path) && !explicitlyNamed)
            return InitSpec.Empty;
        throw new NotImplementedException("the spec issue implements the loader");
    }
}

/// <summary>One problem in a spec file, located.</summary>
internal sealed record SpecError(string File, int Line, int Column, string KeyPath, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {KeyPath}: {Message}";
}

/// <summary>Every problem found in a spec file; the message lists them one per line.</summary>
internal sealed class SpecException(IReadOnlyList<SpecError> errors)
    : Exception(string.Join('\n', errors))
{
    internal IReadOnlyList<SpecError> Errors { get; } = errors;
}
