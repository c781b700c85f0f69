using Stepwise.Settings;

namespace Stepwise.Tests.Settings;

public sealed class StepwiseSettingsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Precedence_is_argument_then_environment_then_file_then_default()
    {
        var store = new SettingsStore(_dir.Combine("settings.json"));
        store.Set([new("dvc", "true"), new("tensorboard", "false"), new("runs_dir", "file-runs")]);
        var environment = new Dictionary<string, string>
        {
            ["STEPWISE_TENSORBOARD"] = "true",
            ["STEPWISE_RUNS_DIR"] = "env-runs",
        };
        var arguments = new Dictionary<string, string> { ["runs_dir"] = "arg-runs", ["epochs"] = "3" };

        var settings = StepwiseSettings.Resolve(store, arguments, n => environment.GetValueOrDefault(n));

        Assert.Equal("arg-runs", settings.RunsDir);
        Assert.Equal(SettingSource.Argument, settings.SourceOf("runs_dir"));
        Assert.True(settings.TensorBoard);
        Assert.Equal(SettingSource.Environment, settings.SourceOf("tensorboard"));
        Assert.True(settings.Dvc);
        Assert.Equal(SettingSource.File, settings.SourceOf("dvc"));
        Assert.False(settings.Sync);
        Assert.Equal(SettingSource.File, settings.SourceOf("sync"));
        Assert.True(settings.IsEnabled("dvc"));
    }

    [Fact]
    public void Values_are_read_when_resolving_not_cached_from_an_earlier_load()
    {
        var store = new SettingsStore(_dir.Combine("settings.json"));
        Assert.False(StepwiseSettings.Resolve(store, getEnvironmentVariable: _ => null).Sync);

        store.Set([new("sync", "true")]);

        Assert.True(StepwiseSettings.Resolve(store, getEnvironmentVariable: _ => null).Sync);
    }

    [Fact]
    public void A_wrong_environment_value_names_the_variable()
    {
        var ex = Assert.Throws<SettingsException>(() =>
            StepwiseSettings.Resolve(null, null, n => n == "STEPWISE_HUB" ? "perhaps" : null));
        Assert.Contains("STEPWISE_HUB", ex.Message, StringComparison.Ordinal);
        Assert.Equal("hub", ex.Key);
    }

    [Fact]
    public void Defaults_keep_analytics_off()
    {
        var defaults = StepwiseSettings.Defaults();
        Assert.False(defaults.Sync);
        Assert.Equal(SettingSource.Default, defaults.SourceOf("sync"));
    }
}
