using Init.Cli;
using Init.Logging;
using Init.Spec;

using Xunit;

namespace Init.Tests.Cli;

public class EffectiveSettingsTests
{
    private static readonly InitTableSettings Spec = new(Group: true, Grace: TimeSpan.FromSeconds(7), RemapExit: [143], Log: LogLevel.Debug);

    private static Func<string, string?> Env(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void DefaultsWhenNothingIsSaid()
    {
        EffectiveSettings s = EffectiveSettings.Resolve(new Options(), Env(), InitTableSettings.Unset);
        Assert.Equal(new EffectiveSettings(false, TimeSpan.FromSeconds(3), s.RemapExit, LogLevel.Warn), s);
        Assert.Empty(s.RemapExit);
    }

    [Fact]
    public void SpecOverridesDefaults()
    {
        EffectiveSettings s = EffectiveSettings.Resolve(new Options(), Env(), Spec);
        Assert.True(s.Group);
        Assert.Equal(TimeSpan.FromSeconds(7), s.Grace);
        Assert.Equal([143], s.RemapExit);
        Assert.Equal(LogLevel.Debug, s.LogLevel);
    }

    [Fact]
    public void EnvironmentOverridesSpec()
    {
        EffectiveSettings s = EffectiveSettings.Resolve(new Options(), Env(("INIT_GROUP", "0"), ("INIT_GRACE", "1s"), ("INIT_LOG", "error")), Spec);
        Assert.False(s.Group);
        Assert.Equal(TimeSpan.FromSeconds(1), s.Grace);
        Assert.Equal(LogLevel.Error, s.LogLevel);
    }

    [Fact]
    public void CommandLineOverridesEverything()
    {
        Options o = CommandLineTests.Parse(["--grace", "250ms", "-e", "1", "-v", "x"]);
        EffectiveSettings s = EffectiveSettings.Resolve(o, Env(("INIT_GRACE", "1s"), ("INIT_LOG", "error")), Spec);
        Assert.Equal(TimeSpan.FromMilliseconds(250), s.Grace);
        Assert.Equal([1], s.RemapExit);
        Assert.Equal(LogLevel.Info, s.LogLevel);
        Assert.Equal(LogLevel.Error, EffectiveSettings.Resolve(CommandLineTests.Parse(["-q"]), Env(), Spec).LogLevel);
        Assert.Equal(LogLevel.Debug, EffectiveSettings.Resolve(CommandLineTests.Parse(["-vvv"]), Env(), Spec).LogLevel);
    }

    [Theory]
    [InlineData("INIT_GROUP", "maybe")]
    [InlineData("INIT_GRACE", "soon")]
    [InlineData("INIT_LOG", "loud")]
    public void BadEnvironmentValuesAreUsageErrors(string name, string value) =>
        Assert.Throws<UsageException>(() => EffectiveSettings.Resolve(new Options(), Env((name, value)), InitTableSettings.Unset));

    [Fact]
    public void SpecPathFromOptionThenEnvironmentThenDefault()
    {
        Assert.Equal(("/a", true), Text(EffectiveSettings.SpecPath(CommandLineTests.Parse(["-s", "/a"]), Bytes(Env(("INIT_SPEC", "/b"))))));
        Assert.Equal(("/b", true), Text(EffectiveSettings.SpecPath(new Options(), Bytes(Env(("INIT_SPEC", "/b"))))));
        Assert.Equal((SpecLoader.DefaultPath, false), Text(EffectiveSettings.SpecPath(new Options(), Bytes(Env()))));
        Assert.Equal((SpecLoader.DefaultPath, false), Text(EffectiveSettings.SpecPath(new Options(), Bytes(Env(("INIT_SPEC", ""))))));
    }

    private static Func<string, byte[]?> Bytes(Func<string, string?> environment) =>
        name => environment(name) is { } value ? System.Text.Encoding.UTF8.GetBytes(value) : null;

    private static (string, bool) Text((byte[] Path, bool Named) specPath) =>
        (System.Text.Encoding.UTF8.GetString(specPath.Path), specPath.Named);

    [Fact]
    public void RemapTurnsListedCodesIntoZero()
    {
        EffectiveSettings s = EffectiveSettings.Resolve(CommandLineTests.Parse(["-e", "143", "-e", "2"]), Env(), InitTableSettings.Unset);
        Assert.Equal(0, s.ExitCodeFor(143));
        Assert.Equal(0, s.ExitCodeFor(2));
        Assert.Equal(3, s.ExitCodeFor(3));
    }

    [Fact]
    public void RewriteFromTheCommandLineGoesOverTheSpecOneSignalAtATime()
    {
        var spec = InitTableSettings.Unset with { Rewrite = new Dictionary<int, int> { [15] = 3, [10] = 12 } };
        EffectiveSettings s = EffectiveSettings.Resolve(CommandLineTests.Parse(["-r", "TERM:TERM", "-r", "HUP:0"]), Env(), spec);
        Assert.Equal(new Dictionary<int, int> { [15] = 15, [10] = 12, [1] = 0 }, s.Rewrite);
        Assert.Empty(EffectiveSettings.Resolve(new Options(), Env(), InitTableSettings.Unset).Rewrite);
    }

    [Fact]
    public void PauseCommandLineOverEnvironmentOverSpec()
    {
        var spec = InitTableSettings.Unset with { Pause = true };
        Assert.True(EffectiveSettings.Resolve(new Options(), Env(), spec).Pause);
        Assert.False(EffectiveSettings.Resolve(new Options(), Env(("INIT_PAUSE", "0")), spec).Pause);
        Assert.True(EffectiveSettings.Resolve(CommandLineTests.Parse(["--pause"]), Env(("INIT_PAUSE", "0")), spec).Pause);
        Assert.False(EffectiveSettings.Resolve(new Options(), Env(), InitTableSettings.Unset).Pause);
    }
}
