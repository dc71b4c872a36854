namespace Init.Tests.Harness;

/// <summary>A private scratch directory for one test (workload scripts, marker files), removed on Dispose.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("init-it-").FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>Writes a file and returns its path.</summary>
    public string Write(string name, string text)
    {
        File.WriteAllText(this[name], text);
        return this[name];
    }

    /// <summary>Polls until <paramref name="name"/> exists and <paramref name="done"/> accepts its text.</summary>
    public string WaitFor(string name, Func<string, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            bool exists = File.Exists(this[name]);
            string text = exists ? File.ReadAllText(this[name]) : "";
            if (exists && done(text)) return text;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{name} never satisfied the condition; it holds:\n{text}");
            Thread.Sleep(10);
        }
    }

    /// <summary>rm -rf: .NET cannot name (so cannot delete) files whose names are not UTF-8, which some tests make.</summary>
    public void Dispose() => Proc.Must("rm", "-rf", Path);
}
