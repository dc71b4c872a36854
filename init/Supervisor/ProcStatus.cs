namespace Init.Supervisor;

/// <summary>Reads "Name:\tvalue" lines of /proc/PID/status files.</summary>
internal static class ProcStatus
{
    /// <summary>The value of <paramref name="field"/>, or null when the file or the field is gone.</summary>
    internal static string? Field(string statusPath, string field)
    {
        try
        {
            foreach (string line in File.ReadLines(statusPath))
                if (line.StartsWith(field, StringComparison.Ordinal) && line.Length > field.Length && line[field.Length] == ':')
                    return line[(field.Length + 1)..].Trim();
        }
        catch (IOException) { }
        return null;
    }
}
