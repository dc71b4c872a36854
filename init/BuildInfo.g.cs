namespace Init;
internal static class BuildInfo { internal const string Version = "0.1.0"; internal const string Commit = "fcfaca8"; }
