namespace Init.Network;

/// <summary>
/// The network could not be configured: the init exits with status 3 and does not start the workload.
/// The message is ready to log: the object and operation, the errno, then indented kernel/hint lines.
/// </summary>
internal sealed class NetworkSetupException(string message) : Exception(message)
{
    /// <summary>What starts each kernel/detail/hint line of <see cref="Exception.Message"/>.</summary>
    internal const string DetailSeparator = "\n  ";
}
