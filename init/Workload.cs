using System.Runtime.InteropServices;
using System.Text;

using Init.Logging;

namespace Init;

internal static unsafe class Workload
{
    internal static int RunToCompletion(string[] argv)
    {
        var strings = argv.Select(a => Marshal.StringToCoTaskMemUTF8(a)).Append(0).ToArray();
        var env = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => Marshal.StringToCoTaskMemUTF8($"{e.Key}={e.Value}")).Append(0).ToArray();
        int pid, rc;
        fixed (nint* a = strings) fixed (nint* e = env)
            rc = Libc.posix_spawnp(out pid, (byte*)a[0], 0, 0, (byte**)a, (byte**)e);
        if (rc != 0)
        {
            Log.Error($"{argv[0]}: {Marshal.GetPInvokeErrorMessage(rc)}");
            return rc == 2 ? 127 : 126;
        }
        int status;
        while (Libc.waitpid(pid, out status, 0) < 0) { }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }
}
