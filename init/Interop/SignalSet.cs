using System.Numerics;
using System.Runtime.InteropServices;

namespace Init.Interop;

/// <summary>
/// A set of signals 1..64, laid out as glibc's 1024-bit <c>sigset_t</c> so it can be passed to libc as is
/// (Linux only uses the first 64 bits).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
internal readonly struct SignalSet : IEquatable<SignalSet>
{
    internal const int Max = 64;

    private readonly ulong _bits;

    private SignalSet(ulong bits) => _bits = bits;

    internal static SignalSet Empty => default;

    internal static SignalSet Of(params ReadOnlySpan<int> signals)
    {
        SignalSet set = default;
        foreach (int signal in signals) set = set.With(signal);
        return set;
    }

    internal static SignalSet Range(int first, int last)
    {
        SignalSet set = default;
        for (int signal = first; signal <= last; signal++) set = set.With(signal);
        return set;
    }

    internal bool Contains(int signal) => signal is >= 1 and <= Max && (_bits & Bit(signal)) != 0;
    internal SignalSet With(int signal) => new(_bits | Bit(signal));
    internal SignalSet Without(int signal) => new(_bits & ~Bit(signal));
    internal SignalSet Union(SignalSet other) => new(_bits | other._bits);
    internal SignalSet Except(SignalSet other) => new(_bits & ~other._bits);
    internal bool IsSubsetOf(SignalSet other) => (_bits & ~other._bits) == 0;

    /// <summary>Parses the hex masks of /proc/PID/status (SigBlk, SigIgn, ...).</summary>
    internal static SignalSet FromProcHex(string hex) => new(Convert.ToUInt64(hex, 16));

    /// <summary>The kernel's 64-bit form, as in /proc/PID/status: bit N-1 is signal N.</summary>
    internal static SignalSet FromBits(ulong bits) => new(bits);

    internal ulong Bits => _bits;

    internal IEnumerable<int> Signals()
    {
        for (ulong bits = _bits; bits != 0; bits &= bits - 1)
            yield return BitOperations.TrailingZeroCount(bits) + 1;
    }

    public override string ToString()
    {
        if (_bits == 0) return "none";
        var names = new List<string>();
        foreach (int signal in Signals()) names.Add(SignalNames.Name(signal));
        return string.Join(',', names);
    }

    public bool Equals(SignalSet other) => _bits == other._bits;
    public override bool Equals(object? obj) => obj is SignalSet other && Equals(other);
    public override int GetHashCode() => _bits.GetHashCode();
    public static bool operator ==(SignalSet left, SignalSet right) => left.Equals(right);
    public static bool operator !=(SignalSet left, SignalSet right) => !left.Equals(right);

    private static ulong Bit(int signal) =>
        signal is >= 1 and <= Max ? 1UL << (signal - 1) : throw new ArgumentOutOfRangeException(nameof(signal));
}
