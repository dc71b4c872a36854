using System.Text;
using Init.Spec;
using Init.Spec.Toml;
using Xunit;

namespace Init.Tests.Spec;

/// <summary>Issue 7, item 5: the same bytes always parse the same way, and encoding problems are named.</summary>
public class ParsingTests
{
    /// <summary>
    /// Tomlyn 2.10.2's duplicate check (SyntaxValidator) compares key paths by their 32-bit hash and then by
    /// items that later keys have overwritten, so two keys whose string hashes collide were "already defined".
    /// String hashes are seeded per process: 20,000 keys collided in ~4 % of runs. This finds a colliding
    /// pair for this process's seed, so the old behaviour fails every time.
    /// </summary>
    [Fact]
    public void KeysWhoseStringHashesCollideAreTwoKeys()
    {
        (string first, string second) = CollidingKeys();

        InitSpec spec = SpecFile.Load($"[workload.env]\n{first} = \"1\"\n{second} = \"2\"\n");

        Assert.Equal("1", spec.Workload.Env[first]);
        Assert.Equal("2", spec.Workload.Env[second]);
    }

    [Fact]
    public void TwentyThousandEnvKeysLoad()
    {
        var toml = new StringBuilder("[workload.env]\n");
        for (int i = 0; i < 20_000; i++)
            toml.Append($"K{i} = \"{i}\"\n");

        InitSpec spec = SpecFile.Load(toml.ToString());

        Assert.Equal(20_000, spec.Workload.Env.Count);
        Assert.Equal("19999", spec.Workload.Env["K19999"]);
    }

    [Fact]
    public void DottedKeysAndHeadersMayAddToWhatTOMLAllows()
    {
        InitSpec spec = SpecFile.Load("""
            workload.env.A = "1"
            workload.env.B = "2"
            [init]
            grace = "1s"
            [[interface]]
            name = "eth0"
            [[interface]]
            name = "eth1"
            """);

        Assert.Equal(["A", "B"], spec.Workload.Env.Keys.Order());
        Assert.Equal(["eth0", "eth1"], spec.Network!.Interfaces.Select(i => i.FinalName));
        // [a] after [a.b] defines the implicit a once.
        Assert.Equal("app", SpecFile.Load("[workload.env]\nA = \"1\"\n[workload]\nuser = \"app\"").Workload.User);
    }

    /// <summary>Tomlyn's validator is off: the TOML 1.0 spec's own valid and invalid examples, through our rules.</summary>
    [Theory]
    [InlineData("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true", null)]
    [InlineData("[x.y.z.w]\n[x]", null)]
    [InlineData("[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"x\"\n[[fruits]]\nname = \"banana\"", null)]
    [InlineData("a.b.c = 1\na.d = 2\ne = { f.g = 1, f.h = 2 }", null)]
    [InlineData("[fruit]\napple = \"red\"\n[fruit.apple]", "3:8: fruit.apple: already defined at 2:1")]
    [InlineData("[fruit]\napple.color = \"red\"\n[fruit.apple]", "3:8: fruit.apple: already defined at 2:1")]
    [InlineData("[product]\ntype = { name = \"Nail\" }\ntype.edible = false", "3:1: product.type.edible: already defined at 2:8")]
    [InlineData("[product]\ntype.name = \"Nail\"\ntype = { edible = false }", "3:1: product.type: already defined at 2:1")]
    [InlineData("fruits = []\n[[fruits]]", "2:3: fruits: already defined at 1:1")]
    [InlineData("[fruit.physical]\ncolor = \"red\"\n[[fruit]]", "3:3: fruit: already defined at 1:2")]
    [InlineData("[[fruits]]\n[[fruits.varieties]]\n[fruits.varieties]", "3:9: fruits.varieties: already defined at 2:10")]
    [InlineData("[fruits.physical]\n[[fruits.physical]]", "2:10: fruits.physical: already defined at 1:9")]
    [InlineData("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", "4:1: a.b.c.t: already defined at 1:4")]
    public void TOMLDefinitionRulesAreEnforcedWithoutTomlyn(string toml, string? expected)
    {
        var errors = new SpecErrors("f");
        bool parsed = TomlTree.Parse(Encoding.UTF8.GetBytes(toml), errors) is not null;
        if (expected is null)
        {
            Assert.True(parsed && !errors.Any);
            return;
        }
        Assert.False(parsed);
        Assert.Equal([$"f:{expected}"], Assert.Throws<SpecException>(errors.ThrowIfAny).Lines);
    }

    [Fact]
    public void InvalidUTF8IsNamedAtTheOffendingByte()
    {
        byte[] bytes = [.. "version = 1\nhostname = \"caf"u8, 0xE9, .. "\"\n"u8];

        Assert.Equal(["2:16: toml: invalid UTF-8 (byte 0xE9): a spec is UTF-8 text"], SpecFile.Errors(bytes));
    }

    [Fact]
    public void ColumnsCountCharactersBeforeTheBadByte()
    {
        byte[] bytes = [.. "a = \"é€😀"u8, 0xC3, .. "\"\n"u8];

        Assert.Equal(["1:10: toml: invalid UTF-8 (byte 0xC3): a spec is UTF-8 text"], SpecFile.Errors(bytes));
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'a', 0, (byte)' ', 0 }, "1:1: toml: UTF-16 text (byte order mark FF FE): a spec is UTF-8")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0, (byte)'a', 0, (byte)' ' }, "1:1: toml: UTF-16 text (byte order mark FE FF): a spec is UTF-8")]
    [InlineData(new byte[] { (byte)'a', (byte)' ', (byte)'=', (byte)' ', (byte)'1', (byte)'\n', (byte)'b', 0 }, "2:2: toml: NUL byte: a spec is UTF-8 text")]
    public void UTF16AndNULBytesAreNotASpec(byte[] bytes, string expected) =>
        Assert.Equal([expected], SpecFile.Errors(bytes));

    [Fact]
    public void AUTF8ByteOrderMarkIsAllowedAndMovesNoPosition()
    {
        byte[] bom = [0xEF, 0xBB, 0xBF];

        Assert.Equal("api", SpecFile.Load([.. bom, .. "hostname = \"api\"\n"u8]).Network!.Hostname);
        Assert.Equal(["1:12: hostname: expected a string, got an integer"], SpecFile.Errors([.. bom, .. "hostname = 1\n"u8]));
    }

    /// <summary>Two bare keys with the same string.GetHashCode in this process (a birthday search: ~80,000 tries).</summary>
    private static (string, string) CollidingKeys()
    {
        var seen = new Dictionary<int, string>();
        for (int i = 0; ; i++)
        {
            string key = $"k{i}";
            if (!seen.TryAdd(key.GetHashCode(), key))
                return (seen[key.GetHashCode()], key);
        }
    }
}
