using System.Runtime.InteropServices;

namespace Init.Interop;

/// <summary>
/// The init's argv and envp as bytes, exactly as the kernel passed them (init/Native/startup.c saves them before
/// the runtime starts). One representation for the whole init: an OS string is a <c>byte[]</c> without its NUL;
/// text is made from it only for display (<see cref="Logging.Printable"/>).
/// </summary>
internal static unsafe partial class StartupVectors
{
    /// <summary>The arguments after argv[0].</summary>
    internal static List<byte[]> Arguments()
    {
        byte** argv = init_startup_argv();
        int count = init_startup_argc();
        var arguments = new List<byte[]>(Math.Max(0, count - 1));
        for (int i = 1; i < count && argv[i] is not null; i++) arguments.Add(Copy(argv[i]));
        return arguments;
    }

    /// <summary>
    /// Every environment entry in order, duplicates and entries without '=' included: the kernel's own NUL-terminated
    /// strings, not copies (they stay where they are for the life of the process).
    /// </summary>
    internal static List<nint> Environment()
    {
        var entries = new List<nint>();
        for (byte** entry = init_startup_envp(); entry is not null && *entry is not null; entry++) entries.Add((nint)(*entry));
        return entries;
    }

    /// <summary>The signal mask the container started the init with (startup.c blocks the awaited signals before the runtime starts).</summary>
    internal static SignalSet SignalMask()
    {
        SignalSet mask;
        init_startup_signal_mask(&mask);
        return mask;
    }

    /// <summary>The signals the container ignored, read by startup.c before the runtime ignored SIGPIPE.</summary>
    internal static SignalSet IgnoredSignals() => SignalSet.FromBits(init_startup_ignored_signals());

    /// <summary>Call first in Main: from here on a failure is the init's to report (see startup.c).</summary>
    internal static void MainStarted() => init_startup_main_started();

    private static byte[] Copy(byte* text) => MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text).ToArray();

    [LibraryImport("init_native")]
    private static partial void init_startup_main_started();

    [LibraryImport("init_native")]
    private static partial int init_startup_argc();

    [LibraryImport("init_native")]
    private static partial void init_startup_signal_mask(SignalSet* mask);

    [LibraryImport("init_native")]
    private static partial ulong init_startup_ignored_signals();

    [LibraryImport("init_native")]
    private static partial byte** init_startup_argv();

    [LibraryImport("init_native")]
    private static partial byte** init_startup_envp();
}
