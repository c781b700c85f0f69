using Stepwise.Callbacks;
using Stepwise.Hub.Callbacks;
using Stepwise.Settings;

namespace Stepwise.Hub.Tests.Callbacks;

public sealed class HubIntegrationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SettingsStore Store() => new(_dir.Combine("settings.json"));

    private StepwiseSettings Resolve(IReadOnlyDictionary<string, string>? arguments = null) =>
        StepwiseSettings.Resolve(Store(), arguments, _ => null);

    [Fact]
    public void Without_an_api_key_nothing_is_registered()
    {
        var integration = new HubIntegration(Resolve());
        var registry = new CallbackRegistry(rank: RankInfo.Single);

        registry.Attach(integration);

        Assert.False(integration.IsConfigured);
        Assert.Equal("hub", integration.SettingKey);
        Assert.Empty(registry.Handlers(TrainerEvents.FitEpochEnd));
    }

    [Fact]
    public void With_an_api_key_the_callbacks_are_registered_as_isolated_integration_handlers()
    {
        Store().Set([new("api_key", "swk_abc"), new("hub_url", "http://127.0.0.1:8484")]);
        var integration = new HubIntegration(Resolve());
        var registry = new CallbackRegistry(rank: RankInfo.Single);

        registry.Attach(integration);

        Assert.True(integration.IsConfigured);
        foreach (var e in new CallbackEvent[] { TrainerEvents.PretrainRoutineStart, TrainerEvents.PretrainRoutineEnd, TrainerEvents.FitEpochEnd, TrainerEvents.ModelSave, TrainerEvents.TrainEnd, ValidatorEvents.ValStart, PredictorEvents.PredictStart, ExporterEvents.ExportStart })
        {
            var handler = Assert.Single(registry.Handlers(e));
            Assert.Equal(CallbackKind.Integration, handler.Kind);
            Assert.Equal("hub", handler.Name);
        }
    }

    [Fact]
    public void Sync_is_read_from_the_settings_file_again_at_every_event()
    {
        Store().Set([new("api_key", "swk_abc"), new("sync", "true")]);
        var options = OptionsOf(new HubIntegration(Resolve()));
        Assert.True(options.SyncEnabled!());

        Store().Set([new("sync", "false")]);
        Assert.False(options.SyncEnabled());

        Store().Set([new("sync", "true")]);
        Assert.True(options.SyncEnabled());
    }

    [Fact]
    public void Sync_given_for_the_run_outranks_the_file()
    {
        Store().Set([new("api_key", "swk_abc"), new("sync", "true")]);
        var options = OptionsOf(new HubIntegration(Resolve(new Dictionary<string, string> { ["sync"] = "false" })));

        Assert.False(options.SyncEnabled!());
    }

    private static HubCallbackOptions OptionsOf(HubIntegration integration) => integration.Options!;
}
