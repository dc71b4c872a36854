namespace Init.Logging;

/// <summary>Log levels of the contract (<c>INIT_LOG</c>, <c>[init].log</c>, <c>-v</c>/<c>-q</c>), quietest first.</summary>
internal enum LogLevel
{
    Error,
    Warn,
    Info,
    Debug,
}
