namespace Netlink.Transport;

/// <summary>Deadlines as <see cref="Environment.TickCount64"/> milliseconds, the unit the transport waits in.</summary>
internal static class Deadline
{
    /// <summary>Now plus <paramref name="timeout"/>; <see cref="Timeout.InfiniteTimeSpan"/> never expires.</summary>
    internal static long After(TimeSpan timeout) => timeout == Timeout.InfiniteTimeSpan
        ? long.MaxValue
        : Environment.TickCount64 + (long)Math.Clamp(timeout.TotalMilliseconds, 0, long.MaxValue / 2);
}
