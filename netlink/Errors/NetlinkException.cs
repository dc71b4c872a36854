using System.Text;
using Netlink.Transport;

namespace Netlink;

/// <summary>
/// A netlink operation failed. Carries the errno (number, symbolic name and text), the kernel's extended-ACK
/// message and offending attribute when it sent them, and the operation and object that failed, so that
/// <see cref="Exception.Message"/> alone tells a user what to fix.
/// </summary>
public class NetlinkException : Exception
{
    internal NetlinkException(int errno, string? detail = null, string? kernelMessage = null, int? attributeOffset = null, int? attributeType = null)
    {
        Errno = errno;
        Detail = detail;
        KernelMessage = kernelMessage;
        AttributeOffset = attributeOffset;
        AttributeType = attributeType;
    }

    /// <summary>The positive errno, e.g. 17 for EEXIST.</summary>
    public int Errno { get; }

    /// <summary>The errno's symbolic name, e.g. <c>EEXIST</c>.</summary>
    public string ErrnoName => Netlink.Errno.Name(Errno);

    /// <summary>The errno's text, e.g. "File exists".</summary>
    public string ErrnoDescription => Netlink.Errno.Describe(Errno);

    /// <summary>The kernel's extended-ACK message, e.g. "Nexthop has invalid gateway", when it sent one.</summary>
    public string? KernelMessage { get; }

    /// <summary>Byte offset, within the request, of the attribute the kernel rejected, when it said.</summary>
    public int? AttributeOffset { get; }

    /// <summary>Type number of the attribute the kernel rejected, when it said.</summary>
    public int? AttributeType { get; }

    /// <summary>What the library itself knows about the failure beyond the errno (e.g. which bytes were malformed).</summary>
    public string? Detail { get; }

    /// <summary>The operation and its object, e.g. <c>eth0: add route default via 10.200.0.1 metric 100</c>.</summary>
    public string? Operation { get; internal set; }

    /// <summary>What the failed request was doing, set with <see cref="Operation"/>.</summary>
    internal RequestKind Kind { get; set; }

    /// <summary>A suggestion for the well-known causes of this error, or null.</summary>
    public string? Hint => SpecificHint ?? ErrorHints.For(this);

    /// <summary>A hint that names the objects involved, set by the operation that failed.</summary>
    internal string? SpecificHint { get; set; }

    /// <inheritdoc/>
    public override string Message => Describe(Operation, Hint);

    /// <summary>
    /// The message in a caller's words: <paramref name="operation"/> (e.g. a step of a plan) in place of the
    /// library's, and <paramref name="hint"/> in place of <see cref="Hint"/>; the errno, kernel, attribute and
    /// detail lines as in <see cref="Message"/>. Each further line starts with a newline and two spaces.
    /// </summary>
    public string Describe(string? operation, string? hint)
    {
        var text = new StringBuilder();
        if (operation is not null)
            text.Append(operation).Append(": ");
        text.Append(ErrnoName).Append(" (").Append(ErrnoDescription).Append(')');
        if (KernelMessage is not null)
            text.Append("\n  kernel: ").Append(KernelMessage);
        if (AttributeType is not null)
            text.Append("\n  attribute: type ").Append(AttributeType).Append(" at offset ").Append(AttributeOffset);
        if (Detail is not null)
            text.Append("\n  detail: ").Append(Detail);
        if (hint is not null)
            text.Append("\n  hint: ").Append(hint);
        return text.ToString();
    }
}

/// <summary>The kernel did not answer before the deadline (errno ETIMEDOUT); the socket stays usable.</summary>
public sealed class NetlinkTimeoutException : NetlinkException
{
    internal NetlinkTimeoutException(TimeSpan timeout)
        : base(Netlink.Errno.ETIMEDOUT, $"no answer from the kernel within {timeout.TotalSeconds:0.###} s") => Timeout = timeout;

    /// <summary>How long the library waited.</summary>
    public TimeSpan Timeout { get; }
}

/// <summary>Bytes from the kernel (or a peer) that are not valid netlink (errno EBADMSG).</summary>
public sealed class NetlinkProtocolException : NetlinkException
{
    internal NetlinkProtocolException(string detail) : base(Netlink.Errno.EBADMSG, detail) { }
}

/// <summary>
/// The table changed while the kernel was dumping it (<c>NLM_F_DUMP_INTR</c>, errno EINTR): the result was
/// inconsistent and has been discarded. Retrying the list operation is safe.
/// </summary>
public sealed class NetlinkDumpInterruptedException : NetlinkException
{
    internal NetlinkDumpInterruptedException()
        : base(Netlink.Errno.EINTR, "the table changed while the kernel was dumping it (NLM_F_DUMP_INTR); the partial result was discarded") { }
}
