using System.Runtime.InteropServices;

namespace Init.Interop;

/// <summary>
/// init/Native/spawn.c, which starts the workload (docs/design.md, "The spawn"). The structs mirror
/// init/Native/native.h field by field; tests/Init.Tests/Interop/layouts.c checks them on both architectures.
/// </summary>
internal static unsafe partial class NativeSpawn
{
    [StructLayout(LayoutKind.Sequential)]
    internal struct Request
    {
        internal byte** Candidates;
        internal byte** Argv;
        internal byte** Envp;
        internal byte* Workdir;
        internal int* CloseFds;
        internal uint* Groups;
        internal ulong DroppedCapabilities;
        internal ulong KeptIgnored;
        internal ulong Mask;
        internal int CandidateCount;
        internal int CloseCount;
        internal int GroupCount;
        internal int TakeTerminal;
        internal int SwitchUser;
        internal uint Uid;
        internal uint Gid;
        internal int NoNewPrivileges;
    }

    /// <summary>The step that failed (enum init_spawn_step).</summary>
    internal enum Step
    {
        Started,
        Pipe,
        Clone,
        SetProcessGroup,
        TakeTerminal,
        BoundingSet,
        SetGroups,
        SetResGid,
        SetResUid,
        CapGet,
        CapSet,
        NoNewPrivileges,
        Workdir,
        Exec,
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Failure
    {
        internal Step Step;
        internal int Error;

        /// <summary>The capability of <see cref="Step.BoundingSet"/>; the candidate of <see cref="Step.Exec"/> (-1: argv[0]).</summary>
        internal int Detail;
    }

    /// <summary>The workload's pid, or -1 with <paramref name="failure"/> filled in.</summary>
    [LibraryImport("init_native", EntryPoint = "init_spawn")]
    internal static partial int Spawn(Request* request, Failure* failure);
}
