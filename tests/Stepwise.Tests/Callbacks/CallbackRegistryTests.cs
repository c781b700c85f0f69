using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Tests.Support;

namespace Stepwise.Tests.Callbacks;

public sealed class CallbackRegistryTests
{
    private static CallbackRegistry NewRegistry(ILogger? logger = null, int rank = -1) =>
        new(logger, new RankInfo(rank, rank));

    public static TheoryData<string> AllWireNames()
    {
        var data = new TheoryData<string>();
        foreach (var e in CallbackCatalog.All)
        {
            data.Add(e.WireName);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllWireNames))]
    public void Every_event_can_be_registered_by_wire_name_and_fires_with_its_engine(string wireName)
    {
        var registry = NewRegistry();
        object? received = null;
        registry.Add(wireName, engine => received = engine);

        var callbackEvent = CallbackCatalog.Get(wireName);
        var engine = RaiseWithNewEngine(registry, callbackEvent);

        Assert.Same(engine, received);
        Assert.IsType(callbackEvent.EngineType, received);
    }

    [Fact]
    public void Every_event_can_be_registered_by_typed_key()
    {
        var registry = NewRegistry();
        var fired = new List<string>();
        registry.Add(TrainerEvents.TrainStart, _ => fired.Add("train"));
        registry.Add(ValidatorEvents.ValStart, _ => fired.Add("val"));
        registry.Add(PredictorEvents.PredictStart, _ => fired.Add("predict"));
        registry.Add(ExporterEvents.ExportStart, _ => fired.Add("export"));

        registry.Raise(TrainerEvents.TrainStart, new Trainer(registry));
        registry.Raise(ValidatorEvents.ValStart, new Validator(registry));
        registry.Raise(PredictorEvents.PredictStart, new Predictor(registry));
        registry.Raise(ExporterEvents.ExportStart, new Exporter(registry));

        Assert.Equal(["train", "val", "predict", "export"], fired);
    }

    [Fact]
    public void Registering_a_misspelt_wire_name_fails_with_suggestions_and_registers_nothing()
    {
        var registry = NewRegistry();
        var ex = Assert.Throws<UnknownCallbackEventException>(() => registry.Add("on_train_epoch_ends", _ => { }));
        Assert.Contains("on_train_epoch_end", ex.Suggestions);
        Assert.All(CallbackCatalog.All, e => Assert.Equal(0, registry.Count(e)));
    }

    [Fact]
    public void Handlers_run_in_registration_order_unless_given_an_explicit_order()
    {
        var registry = NewRegistry();
        var order = new List<string>();
        registry.Add(TrainerEvents.TrainEpochEnd, _ => order.Add("a"));
        registry.Add(TrainerEvents.TrainEpochEnd, _ => order.Add("b"));
        registry.Add(TrainerEvents.TrainEpochEnd, _ => order.Add("last"), new CallbackOptions { Order = 10 });
        registry.Add(TrainerEvents.TrainEpochEnd, _ => order.Add("first"), new CallbackOptions { Order = -10 });
        registry.Add(TrainerEvents.TrainEpochEnd, _ => order.Add("c"));

        registry.Raise(TrainerEvents.TrainEpochEnd, new Trainer(registry));

        Assert.Equal(["first", "a", "b", "c", "last"], order);
    }

    [Fact]
    public void A_token_removes_exactly_its_own_handler_even_when_the_same_delegate_is_registered_twice()
    {
        var registry = NewRegistry();
        var calls = 0;
        Action<Trainer> handler = _ => calls++;
        var first = registry.Add(TrainerEvents.TrainStart, handler);
        registry.Add(TrainerEvents.TrainStart, handler);
        var other = 0;
        registry.Add(TrainerEvents.TrainStart, _ => other++);

        Assert.True(first.Remove());
        Assert.False(first.Remove());
        registry.Raise(TrainerEvents.TrainStart, new Trainer(registry));

        Assert.Equal(1, calls);
        Assert.Equal(1, other);
        Assert.Equal(2, registry.Count(TrainerEvents.TrainStart));
    }

    [Fact]
    public void Clear_empties_one_event_and_leaves_the_others()
    {
        var registry = NewRegistry();
        registry.AddDefault(TrainerEvents.TrainStart, _ => { });
        registry.Add(TrainerEvents.TrainStart, _ => { });
        registry.Add(TrainerEvents.TrainEnd, _ => { });

        registry.Clear(TrainerEvents.TrainStart);

        Assert.Equal(0, registry.Count(TrainerEvents.TrainStart));
        Assert.Equal(1, registry.Count(TrainerEvents.TrainEnd));
    }

    [Fact]
    public void Reset_restores_the_defaults_and_drops_everything_else()
    {
        var registry = NewRegistry();
        var order = new List<string>();
        registry.AddDefault(TrainerEvents.TrainStart, _ => order.Add("default"));
        registry.Add(TrainerEvents.TrainStart, _ => order.Add("user"));
        registry.Add(TrainerEvents.TrainEnd, _ => order.Add("user-end"));
        registry.Clear(TrainerEvents.TrainStart);

        registry.Reset();
        registry.Raise(TrainerEvents.TrainStart, new Trainer(registry));
        registry.Raise(TrainerEvents.TrainEnd, new Trainer(registry));

        Assert.Equal(["default"], order);
    }

    [Fact]
    public void A_throwing_integration_handler_does_not_stop_the_raise_and_later_handlers_run()
    {
        var logger = new ListLogger();
        var registry = NewRegistry(logger);
        var later = 0;
        registry.AddIntegration(TrainerEvents.FitEpochEnd, _ => throw new InvalidOperationException("disk full"), "dvc");
        registry.Add(TrainerEvents.FitEpochEnd, _ => later++);

        registry.Raise(TrainerEvents.FitEpochEnd, new Trainer(registry));

        Assert.Equal(1, later);
        var warning = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("dvc", warning.Message, StringComparison.Ordinal);
        Assert.Contains("on_fit_epoch_end", warning.Message, StringComparison.Ordinal);
        Assert.Contains("disk full", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_throwing_user_handler_propagates()
    {
        var registry = NewRegistry();
        var later = 0;
        registry.Add(TrainerEvents.FitEpochEnd, _ => throw new InvalidOperationException("user bug"));
        registry.Add(TrainerEvents.FitEpochEnd, _ => later++);

        var ex = Assert.Throws<InvalidOperationException>(() => registry.Raise(TrainerEvents.FitEpochEnd, new Trainer(registry)));
        Assert.Equal("user bug", ex.Message);
        Assert.Equal(0, later);
    }

    [Fact]
    public void Repeated_integration_failures_disable_the_handler_with_one_more_warning()
    {
        var logger = new ListLogger();
        var registry = NewRegistry(logger);
        var attempts = 0;
        registry.AddIntegration(TrainerEvents.TrainBatchEnd, _ =>
        {
            attempts++;
            throw new IOException("server down");
        }, "hub");
        var trainer = new Trainer(registry);

        for (var i = 0; i < 10; i++)
        {
            registry.Raise(TrainerEvents.TrainBatchEnd, trainer);
        }

        Assert.Equal(CallbackRegistry.DefaultIntegrationFailureLimit, attempts);
        Assert.Equal(CallbackRegistry.DefaultIntegrationFailureLimit, logger.Entries.Count);
        Assert.Contains("disabled", logger.Entries[^1].Message, StringComparison.Ordinal);
        Assert.True(registry.Handlers(TrainerEvents.TrainBatchEnd).Single().Disabled);
    }

    [Fact]
    public void A_success_between_failures_resets_the_failure_count()
    {
        var registry = NewRegistry(new ListLogger());
        var attempt = 0;
        registry.AddIntegration(TrainerEvents.TrainBatchEnd, _ =>
        {
            // Fails on every call except each third: never three in a row.
            if (++attempt % 3 != 0)
            {
                throw new IOException("flaky");
            }
        }, "hub");
        var trainer = new Trainer(registry);

        for (var i = 0; i < 9; i++)
        {
            registry.Raise(TrainerEvents.TrainBatchEnd, trainer);
        }

        Assert.Equal(9, attempt);
        Assert.False(registry.Handlers(TrainerEvents.TrainBatchEnd).Single().Disabled);
    }

    [Fact]
    public void Rank_one_suppresses_integrations_but_not_user_handlers()
    {
        var registry = NewRegistry(rank: 1);
        var user = 0;
        var integration = 0;
        registry.Add(TrainerEvents.TrainStart, _ => user++);
        registry.AddIntegration(TrainerEvents.TrainStart, _ => integration++, "tensorboard");

        registry.Raise(TrainerEvents.TrainStart, new Trainer(registry));

        Assert.Equal(1, user);
        Assert.Equal(0, integration);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("0", true)]
    [InlineData("-1", true)]
    [InlineData("1", false)]
    [InlineData("3", false)]
    public void Rank_is_read_from_the_RANK_variable(string? rank, bool primary)
    {
        var info = RankInfo.FromEnvironment(name => name == "RANK" ? rank : null);
        Assert.Equal(primary, info.IsPrimary);
    }

    [Fact]
    public void An_integration_attaches_once_and_not_at_all_on_a_secondary_rank()
    {
        var primary = NewRegistry();
        var integration = new CountingIntegration();
        Assert.True(primary.Attach(integration));
        Assert.False(primary.Attach(integration));
        Assert.Equal(1, integration.Attached);
        Assert.Equal(1, primary.Count(TrainerEvents.TrainEnd));

        var secondary = NewRegistry(rank: 2);
        Assert.False(secondary.Attach(integration));
        Assert.Equal(0, secondary.Count(TrainerEvents.TrainEnd));
    }

    [Fact]
    public void Only_integrations_whose_setting_is_on_are_attached()
    {
        var registry = NewRegistry();
        var settings = Stepwise.Settings.StepwiseSettings.Resolve(
            null,
            new Dictionary<string, string> { ["tensorboard"] = "false", ["dvc"] = "true" },
            _ => null);
        var onDvc = new NamedIntegration("dvc", "dvc");
        var onTensorBoard = new NamedIntegration("tensorboard", "tensorboard");

        var attached = registry.AttachEnabled([onTensorBoard, onDvc], settings);

        Assert.Equal(["dvc"], attached);
        Assert.Equal(1, onDvc.Attached);
        Assert.Equal(0, onTensorBoard.Attached);
    }

    [Fact]
    public void One_registry_shared_by_several_engines_keeps_handlers_for_each()
    {
        var registry = NewRegistry();
        var seen = new List<EngineBase>();
        registry.Add("on_val_end", engine => seen.Add((EngineBase)engine));
        var trainer = new Trainer(registry);
        var validator = new Validator(trainer.Callbacks);

        registry.Raise(ValidatorEvents.ValEnd, validator);

        Assert.Same(trainer.Callbacks, validator.Callbacks);
        Assert.Same(validator, Assert.Single(seen));
    }

    [Fact]
    public void A_handler_can_ask_the_engine_to_stop_with_a_reason()
    {
        var registry = NewRegistry();
        registry.Add(TrainerEvents.FitEpochEnd, t => t.RequestStop("target accuracy reached"));
        registry.Add(TrainerEvents.FitEpochEnd, t => t.RequestStop("second reason"));
        var trainer = new Trainer(registry);

        registry.Raise(TrainerEvents.FitEpochEnd, trainer);

        Assert.True(trainer.StopRequested);
        Assert.Equal("target accuracy reached", trainer.StopReason);
    }

    [Fact]
    public void Stateful_callbacks_round_trip_their_state_and_late_registrations_receive_it()
    {
        var source = NewRegistry();
        source.AddStateful(new CounterState("early_stop") { Value = 4 });
        source.AddStateful(new CounterState("dvc") { Value = 12 });
        var saved = source.SaveState();
        var checkpointJson = new JsonObject(saved.Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString();

        var restored = NewRegistry();
        var early = new CounterState("early_stop");
        restored.AddStateful(early);
        var parsed = JsonNode.Parse(checkpointJson)!.AsObject().ToDictionary(p => p.Key, p => p.Value);
        restored.RestoreState(parsed);
        var late = new CounterState("dvc");
        restored.AddStateful(late);

        Assert.Equal(4, early.Value);
        Assert.Equal(12, late.Value);
        Assert.Throws<ArgumentException>(() => restored.AddStateful(new CounterState("dvc")));
    }

    [Fact]
    public void Handlers_added_during_a_raise_apply_from_the_next_raise()
    {
        var registry = NewRegistry();
        var added = 0;
        registry.Add(TrainerEvents.TrainBatchEnd, _ => registry.Add(TrainerEvents.TrainBatchEnd, _ => added++));
        var trainer = new Trainer(registry);

        registry.Raise(TrainerEvents.TrainBatchEnd, trainer);
        Assert.Equal(0, added);
        registry.Raise(TrainerEvents.TrainBatchEnd, trainer);
        Assert.Equal(1, added);
    }

    private static object RaiseWithNewEngine(CallbackRegistry registry, CallbackEvent callbackEvent)
    {
        switch (callbackEvent)
        {
            case CallbackEvent<Trainer> t:
                var trainer = new Trainer(registry);
                registry.Raise(t, trainer);
                return trainer;
            case CallbackEvent<Validator> v:
                var validator = new Validator(registry);
                registry.Raise(v, validator);
                return validator;
            case CallbackEvent<Predictor> p:
                var predictor = new Predictor(registry);
                registry.Raise(p, predictor);
                return predictor;
            case CallbackEvent<Exporter> x:
                var exporter = new Exporter(registry);
                registry.Raise(x, exporter);
                return exporter;
            default:
                throw new InvalidOperationException(callbackEvent.WireName);
        }
    }

    private sealed class CountingIntegration : ICallbackIntegration
    {
        public int Attached { get; private set; }

        public string Name => "counting";

        public string SettingKey => "tensorboard";

        public void Attach(CallbackRegistry registry)
        {
            Attached++;
            registry.AddIntegration(TrainerEvents.TrainEnd, _ => { }, Name);
        }
    }

    private sealed class NamedIntegration(string name, string settingKey) : ICallbackIntegration
    {
        public int Attached { get; private set; }

        public string Name => name;

        public string SettingKey => settingKey;

        public void Attach(CallbackRegistry registry) => Attached++;
    }

    private sealed class CounterState(string key) : IStatefulCallback
    {
        public int Value { get; set; }

        public string StateKey => key;

        public JsonNode? SaveState() => new JsonObject { ["value"] = Value };

        public void RestoreState(JsonNode? state) => Value = state?["value"]?.GetValue<int>() ?? 0;
    }
}
