using Init.Supervisor;

using Xunit;

namespace Init.Tests.Supervisor;

public class SpawnerTests
{
    [Fact]
    public void PathLookupLikeExecvp()
    {
        Assert.Equal(["/bin/sh"], Spawner.Candidates("/bin/sh", "/x"));
        Assert.Equal(["./a"], Spawner.Candidates("./a", "/x"));
        Assert.Equal(["/x/sh", "/y/sh", "sh"], Spawner.Candidates("sh", "/x:/y/:"));
        Assert.Contains("/bin/sh", Spawner.Candidates("sh", null));
        Assert.Empty(Spawner.Candidates("", "/x:/y"));
    }
}
