using Stepwise.Cli.Tests.Support;

namespace Stepwise.Cli.Tests.Modes;

public sealed class DvcModeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stepwise-cli-dvcshow-" + Guid.NewGuid().ToString("N"));

    public DvcModeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Golden(params string[] parts)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !Directory.Exists(Path.Combine(dir.FullName, "shared", "golden")))
        {
            dir = dir.Parent;
        }

        return Path.Combine([dir?.FullName ?? throw new DirectoryNotFoundException("shared/golden not found"), "shared", "golden", .. parts]);
    }

    [Fact]
    public async Task Show_summarises_the_golden_studio_folder_from_its_parent()
    {
        var result = await CliProcess.RunAsync(_dir, ["dvc", "show", Golden("dvclive", "studio", "output")]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"DVCLive folder {Golden("dvclive", "studio", "output", "dvclive")}\nstep 1\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("params (1)\n  epochs = 2\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("metrics (2)\n  loss = 0.5\n  train/acc = 0.6\n", result.Out, StringComparison.Ordinal);
        Assert.Matches(@"\n  loss\s+2\s+0\.\.1\s+0\.5\s+0\.5\s+1\n", result.Out);
        Assert.Matches(@"\n  train/acc\s+2\s+0\.\.1\s+0\.6\s+0\.5\s+0\.6\n", result.Out);
        Assert.Contains("images (1)\n  img.png  step 0  ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_on_a_folder_that_is_not_dvclive_or_has_a_broken_file_exits_1_naming_it()
    {
        var notLive = await CliProcess.RunAsync(_dir, ["dvc", "show", _dir]);
        Assert.Equal(1, notLive.ExitCode);
        Assert.Contains("is not a DVCLive folder", notLive.Error, StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(_dir, "dvclive"));
        await File.WriteAllTextAsync(Path.Combine(_dir, "dvclive", "metrics.json"), "{\"loss\": ");
        var broken = await CliProcess.RunAsync(_dir, ["dvc", "show", _dir]);
        Assert.Equal(1, broken.ExitCode);
        Assert.Contains("metrics.json:1: not valid JSON", broken.Error, StringComparison.Ordinal);

        var usage = await CliProcess.RunAsync(_dir, ["dvc", "list", _dir]);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("Unknown dvc command 'list'", usage.Error, StringComparison.Ordinal);
    }
}
