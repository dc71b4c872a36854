using Init.Logging;

namespace Init;

/// <summary>Entry point; the supervisor issue replaces this minimal spawn-and-wait.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        int start = args.Length > 0 && args[0] == "--" ? 1 : 0;
        if (start >= args.Length)
        {
            Log.Error("usage: init [--] COMMAND [ARG...]");
            return 2;
        }
        return Workload.RunToCompletion(args[start..]);
    }
}
