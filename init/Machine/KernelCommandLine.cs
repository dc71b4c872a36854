namespace Init.Machine;

/// <summary>
/// <c>init.spec=PATH</c> on the kernel command line. The kernel does not pass it on to init (a dotted name is
/// taken for a module parameter, neither argv nor environment), so it is read from /proc/cmdline.
/// </summary>
internal static class KernelCommandLine
{
    internal const string SpecKey = "init.spec=";

    /// <summary>
    /// For a machine's PID 1 only (<see cref="PowerOff.Detect"/>; a container's /proc/cmdline is the host's):
    /// mounts /proc if the kernel booted the init without it, then reads the command line.
    /// </summary>
    internal static string? SpecPath()
    {
        if (!Directory.Exists("/proc/self"))
            Mounts.Mount(Mounts.Standard[0]);
        return SpecPathIn(File.ReadAllText("/proc/cmdline"));
    }

    /// <summary>The last <c>init.spec=</c> before a <c>--</c> (after it, the words are init's arguments); double quotes group.</summary>
    internal static string? SpecPathIn(string commandLine)
    {
        string? path = null;
        foreach (string word in Words(commandLine))
        {
            if (word == "--") break;
            if (word.StartsWith(SpecKey, StringComparison.Ordinal) && word.Length > SpecKey.Length)
                path = word[SpecKey.Length..];
        }
        return path;
    }

    private static IEnumerable<string> Words(string commandLine)
    {
        var word = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char c in commandLine)
        {
            if (c == '"') quoted = !quoted;
            else if (!quoted && char.IsWhiteSpace(c))
            {
                if (word.Length > 0) yield return word.ToString();
                word.Clear();
            }
            else word.Append(c);
        }
        if (word.Length > 0) yield return word.ToString();
    }
}
