using Stepwise.Cli.Tests.Support;

namespace Stepwise.Cli.Tests;

public sealed class CliAppTests : IDisposable
{
    private readonly string _configDir = Path.Combine(Path.GetTempPath(), "stepwise-cli-" + Guid.NewGuid().ToString("N"));

    public CliAppTests() => Directory.CreateDirectory(_configDir);

    public void Dispose() => Directory.Delete(_configDir, recursive: true);

    [Fact]
    public async Task Version_prints_the_product_version()
    {
        var result = await CliProcess.RunAsync(_configDir, ["--version"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^stepwise \d+\.\d+\.\d+", result.Out);
    }

    [Fact]
    public async Task Help_lists_every_mode_and_each_mode_has_its_own_help()
    {
        var result = await CliProcess.RunAsync(_configDir, ["--help"]);
        Assert.Equal(0, result.ExitCode);
        foreach (var mode in ModeCatalog.Create())
        {
            Assert.Contains(mode.Name, result.Out, StringComparison.Ordinal);
            var modeHelp = await CliProcess.RunAsync(_configDir, [mode.Name, "--help"]);
            Assert.Equal(0, modeHelp.ExitCode);
            Assert.Contains("Usage", modeHelp.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_mode_exits_with_a_usage_error_and_a_suggestion()
    {
        var result = await CliProcess.RunAsync(_configDir, ["setings"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("settings", result.Error, StringComparison.Ordinal);
    }
}
