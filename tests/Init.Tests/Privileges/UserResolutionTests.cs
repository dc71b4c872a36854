using Init.Privileges;
using Init.Spec;
using Init.Tests.Harness;
using Xunit;

namespace Init.Tests.Privileges;

/// <summary>[workload].user against an image's /etc/passwd and /etc/group (a temporary root), as runc resolves docker --user.</summary>
public sealed class UserResolutionTests : IDisposable
{
    private const string Passwd = """
        root:x:0:0:root:/root:/bin/sh
        # a comment, then a blank line

        app:x:1000:1000:The App:/home/app:/bin/sh
        nohome:x:1001:1001:::/bin/sh
        broken line without colons
        short:x:1002:1002
        badid:x:12a:1000::/x:/bin/sh
        maxid:x:4294967295:0::/x:/bin/sh
        app:x:2000:2000:second app, ignored:/elsewhere:/bin/sh
        """;

    private const string Group = """
        root:x:0:
        app:x:1000:
        staff:x:50:app,other
        wheel:x:10: other , app
        audio:x:63:other
        bad:x:notanumber:app
        dup:x:50:app
        """;

    private readonly TempDir _root = new();

    public UserResolutionTests()
    {
        Directory.CreateDirectory(_root["etc"]);
        File.WriteAllText(_root["etc/passwd"], Passwd);
        File.WriteAllText(_root["etc/group"], Group);
    }

    public void Dispose() => _root.Dispose();

    private WorkloadUser Resolve(string user) => WorkloadUser.Resolve(user, new AccountFiles(_root.Path));

    private string Failure(string user) => Assert.Throws<UserLookupException>(() => Resolve(user)).Message;

    [Fact]
    public void PasswdLinesOfTheWrongShapeAreSkipped()
    {
        var files = new AccountFiles(_root.Path);
        Assert.Equal(["root", "app", "nohome", "app"], files.Passwd.Select(entry => entry.Name));
        Assert.Equal(["root", "app", "staff", "wheel", "audio", "dup"], files.Group.Select(entry => entry.Name));
        Assert.Equal(["other", "app"], files.Group.ElementAt(3).Members);
    }

    [Theory]
    [InlineData("a:x:1:2:gecos:/h:/s", "a", 1u, 2u, "/h")]
    [InlineData("n::0:0::/:", "n", 0u, 0u, "/")]
    [InlineData("n:x:4294967294:1::/h:/s", "n", 4294967294u, 1u, "/h")]
    public void PasswdLineFields(string line, string name, uint uid, uint gid, string home)
    {
        PasswdEntry entry = AccountFiles.ParsePasswd(line)!;
        Assert.Equal((name, uid, gid, home), (entry.Name, entry.Uid, entry.Gid, entry.Home));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":x:1:1::/h:/s")]          // no name
    [InlineData("a:x:1:1::/h")]            // 6 fields
    [InlineData("a:x:1:1::/h:/s:extra")]   // 8 fields
    [InlineData("a:x:-1:1::/h:/s")]
    [InlineData("a:x: 1:1::/h:/s")]
    [InlineData("a:x:1:4294967296::/h:/s")]
    [InlineData("+::::::")]                // NIS compat line
    public void MalformedPasswdLinesParseAsNothing(string line) => Assert.Null(AccountFiles.ParsePasswd(line));

    [Theory]
    [InlineData("g:x:1")]
    [InlineData("g:x:1:a:b")]
    [InlineData(":x:1:")]
    [InlineData("g:x::a")]
    public void MalformedGroupLinesParseAsNothing(string line) => Assert.Null(AccountFiles.ParseGroup(line));

    [Fact]
    public void ANameGetsItsUidGidHomeAndEveryGroupThatListsIt()
    {
        Assert.Equal(new WorkloadUser(1000, 1000, [1000, 50, 10], "/home/app"), Resolve("app"), UserComparer.Instance);
    }

    [Fact]
    public void AUidWithAnEntryIsThatEntry()
    {
        Assert.Equal(new WorkloadUser(1000, 1000, [1000, 50, 10], "/home/app"), Resolve("1000"), UserComparer.Instance);
        Assert.Equal(new WorkloadUser(0, 0, [0], "/root"), Resolve("0"), UserComparer.Instance);
    }

    [Fact]
    public void AUidWithoutAnEntryRunsWithGid0AndHomeSlashAsRuncDoes()
    {
        Assert.Equal(new WorkloadUser(4242, 0, [0], "/"), Resolve("4242"), UserComparer.Instance);
    }

    [Fact]
    public void AnExplicitGroupReplacesThePrimaryGidAndIsTheOnlyGroup()
    {
        Assert.Equal(new WorkloadUser(1000, 50, [50], "/home/app"), Resolve("app:staff"), UserComparer.Instance);
        Assert.Equal(new WorkloadUser(1000, 77, [77], "/home/app"), Resolve("app:77"), UserComparer.Instance);
        Assert.Equal(new WorkloadUser(1000, 1000, [1000], "/home/app"), Resolve("1000:1000"), UserComparer.Instance);
        Assert.Equal(new WorkloadUser(4242, 63, [63], "/"), Resolve("4242:audio"), UserComparer.Instance);
        Assert.Equal(new WorkloadUser(4242, 4343, [4343], "/"), Resolve("4242:4343"), UserComparer.Instance);
    }

    [Fact]
    public void AnEntryWithAnEmptyHomeGetsSlash()
    {
        Assert.Equal("/", Resolve("nohome").Home);
    }

    [Fact]
    public void TheFirstOfTwoEntriesWithTheSameNameWins()
    {
        Assert.Equal(1000u, Resolve("app").Uid);
    }

    [Fact]
    public void UnknownNamesNameTheFileAndTheName()
    {
        Assert.Equal($"user \"nobody\" not found in {_root["etc/passwd"]}", Failure("nobody"));
        Assert.Equal($"group \"nogroup\" not found in {_root["etc/group"]}", Failure("app:nogroup"));
        Assert.Equal($"user \"short\" not found in {_root["etc/passwd"]}", Failure("short")); // its line is malformed
    }

    [Fact]
    public void WithoutTheFilesNumbersStillWorkAndNamesFailNamingTheMissingFile()
    {
        File.Delete(_root["etc/passwd"]);
        File.Delete(_root["etc/group"]);
        Assert.Equal(new WorkloadUser(1000, 0, [0], "/"), Resolve("1000"), UserComparer.Instance);
        Assert.Equal(new WorkloadUser(1000, 5, [5], "/"), Resolve("1000:5"), UserComparer.Instance);
        Assert.StartsWith($"user \"app\": {_root["etc/passwd"]} does not exist", Failure("app"));
        Assert.StartsWith($"group \"staff\": {_root["etc/group"]} does not exist", Failure("1000:staff"));
    }

    [Fact]
    public void ADirectoryWherePasswdShouldBeIsAnErrorNamingIt()
    {
        File.Delete(_root["etc/passwd"]);
        Directory.CreateDirectory(_root["etc/passwd"]);
        Assert.StartsWith($"cannot read {_root["etc/passwd"]}", Failure("1000"));
    }

    [Fact]
    public void CapabilitiesToDropBecomeAMaskAndAllSetsEveryBit()
    {
        Assert.Equal(1UL << 12, Credentials(WorkloadSpec.Default).DroppedCapabilities);
        Assert.Equal((1UL << 12) | (1UL << 7) | 1UL, Credentials(WorkloadSpec.Default with { DropCapabilities = ["NET_ADMIN", "SETUID", "CHOWN"] }).DroppedCapabilities);
        Assert.Equal(ulong.MaxValue, Credentials(WorkloadSpec.Default with { DropCapabilities = ["ALL"] }).DroppedCapabilities);
        Assert.Equal(0UL, Credentials(WorkloadSpec.Default with { DropCapabilities = [] }).DroppedCapabilities);
    }

    [Fact]
    public void NoUserChangesNothingAndReadsNoFile()
    {
        Directory.Delete(_root["etc"], recursive: true);
        Directory.CreateDirectory(_root["etc/passwd"]); // would be an error if read
        WorkloadCredentials credentials = Credentials(WorkloadSpec.Default with { NoNewPrivileges = true });
        Assert.Null(credentials.User);
        Assert.Null(credentials.Home);
        Assert.True(credentials.NoNewPrivileges);
    }

    [Theory]
    [InlineData(null, "/home/app")]          // the runtime set no HOME
    [InlineData("/root", "/home/app")]       // the default the runtime derived for root from passwd
    [InlineData("/srv/custom", null)]        // set on purpose: stays
    [InlineData("/", null)]                  // root has an entry, so "/" was not the runtime's default
    public void ASwitchedUserGetsItsHomeUnlessHomeWasSetOnPurpose(string? inherited, string? expected)
    {
        Assert.Equal(expected, Credentials(WorkloadSpec.Default with { User = "app" }, inherited).Home);
    }

    [Fact]
    public void WithoutAnEntryForTheInitsOwnUidTheRuntimesDefaultHomeIsSlash()
    {
        Assert.Equal("/home/app", Credentials(WorkloadSpec.Default with { User = "app" }, "/", ownUid: 7).Home);
        Assert.Null(Credentials(WorkloadSpec.Default with { User = "app" }, "/root", ownUid: 7).Home);
        Assert.Equal("/", Credentials(WorkloadSpec.Default with { User = "4242" }, null).Home);
    }

    private WorkloadCredentials Credentials(WorkloadSpec workload, string? inheritedHome = "/root", uint ownUid = 0) =>
        WorkloadCredentials.Resolve(workload, _root.Path, inheritedHome, ownUid);

    /// <summary>Records compare lists by reference; this compares the groups' contents.</summary>
    private sealed class UserComparer : IEqualityComparer<WorkloadUser>
    {
        internal static readonly UserComparer Instance = new();

        public bool Equals(WorkloadUser? x, WorkloadUser? y) =>
            x is not null && y is not null && (x.Uid, x.Gid, x.Home) == (y.Uid, y.Gid, y.Home) && x.Groups.SequenceEqual(y.Groups);

        public int GetHashCode(WorkloadUser user) => HashCode.Combine(user.Uid, user.Gid, user.Home);
    }
}
