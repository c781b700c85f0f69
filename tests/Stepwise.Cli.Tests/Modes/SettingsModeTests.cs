using System.Text.Json.Nodes;
using Stepwise.Cli.Tests.Support;

namespace Stepwise.Cli.Tests.Modes;

public sealed class SettingsModeTests : IDisposable
{
    private readonly string _configDir = Path.Combine(Path.GetTempPath(), "stepwise-cli-" + Guid.NewGuid().ToString("N"));

    public SettingsModeTests() => Directory.CreateDirectory(_configDir);

    public void Dispose() => Directory.Delete(_configDir, recursive: true);

    private string SettingsFile => Path.Combine(_configDir, "settings.json");

    [Fact]
    public async Task Settings_prints_the_file_path_and_values_with_the_api_key_masked()
    {
        var set = await CliProcess.RunAsync(_configDir, ["settings", "api_key=sk-live-0123456789", "dvc=true"]);
        Assert.Equal(0, set.ExitCode);

        var show = await CliProcess.RunAsync(_configDir, ["settings"]);

        Assert.Equal(0, show.ExitCode);
        Assert.Contains(SettingsFile, show.Out, StringComparison.Ordinal);
        Assert.Matches(@"dvc\s+true", show.Out);
        Assert.Matches(@"sync\s+false", show.Out);
        Assert.DoesNotContain("sk-live-0123456789", show.Out, StringComparison.Ordinal);
        Assert.Contains("sk-l", show.Out, StringComparison.Ordinal);
        Assert.Equal("sk-live-0123456789", JsonNode.Parse(File.ReadAllText(SettingsFile))!["api_key"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_wrong_type_exits_non_zero_naming_the_key_and_the_expected_type_and_writes_nothing()
    {
        await CliProcess.RunAsync(_configDir, ["settings"]);
        var before = File.ReadAllText(SettingsFile);

        var result = await CliProcess.RunAsync(_configDir, ["settings", "tensorboard=false", "dvc=maybe"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("'dvc'", result.Error, StringComparison.Ordinal);
        Assert.Contains("boolean", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(SettingsFile));
    }

    [Fact]
    public async Task An_unknown_key_exits_non_zero_and_lists_the_valid_keys()
    {
        var result = await CliProcess.RunAsync(_configDir, ["settings", "--tensorbord", "false"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("tensorbord", result.Error, StringComparison.Ordinal);
        Assert.Contains("tensorboard", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_restores_the_defaults()
    {
        await CliProcess.RunAsync(_configDir, ["settings", "dvc=true"]);

        var result = await CliProcess.RunAsync(_configDir, ["settings", "reset"]);

        Assert.Equal(0, result.ExitCode);
        Assert.False(JsonNode.Parse(File.ReadAllText(SettingsFile))!["dvc"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_corrupt_settings_file_is_an_error_with_its_path_and_is_kept()
    {
        File.WriteAllText(SettingsFile, "{\"dvc\": \"yes\"");

        var result = await CliProcess.RunAsync(_configDir, ["settings"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(SettingsFile, result.Error, StringComparison.Ordinal);
        Assert.Equal("{\"dvc\": \"yes\"", File.ReadAllText(SettingsFile));
    }
}
