using Stepwise.Callbacks;
using Stepwise.Engine;

namespace Stepwise.Tests.Callbacks;

public sealed class CallbackCatalogTests
{
    private static readonly string[] ReferenceCatalog =
    [
        "on_pretrain_routine_start", "on_pretrain_routine_end", "on_train_start", "on_train_epoch_start",
        "on_train_batch_start", "optimizer_step", "on_before_zero_grad", "on_train_batch_end",
        "on_train_epoch_end", "on_fit_epoch_end", "on_model_save", "on_train_end", "on_params_update",
        "teardown", "on_val_start", "on_val_batch_start", "on_val_batch_end", "on_val_end",
        "on_predict_start", "on_predict_batch_start", "on_predict_postprocess_end", "on_predict_batch_end",
        "on_predict_end", "on_export_start", "on_export_end",
    ];

    [Fact]
    public void Catalog_holds_the_25_reference_events_plus_the_legacy_batch_end_and_final_eval_end()
    {
        var names = CallbackCatalog.All.Select(e => e.WireName).ToList();
        Assert.Equal(27, names.Count);
        Assert.Equal(names.Count, names.Distinct().Count());
        foreach (var name in ReferenceCatalog)
        {
            Assert.Contains(name, names);
        }

        Assert.Contains("on_final_eval_end", names);
        Assert.Contains("on_batch_end", names);
    }

    [Theory]
    [InlineData("on_fit_epoch_end", typeof(Trainer))]
    [InlineData("teardown", typeof(Trainer))]
    [InlineData("on_final_eval_end", typeof(Trainer))]
    [InlineData("on_val_batch_end", typeof(Validator))]
    [InlineData("on_predict_postprocess_end", typeof(Predictor))]
    [InlineData("on_export_end", typeof(Exporter))]
    public void Each_event_knows_the_engine_type_its_handlers_receive(string wireName, Type engine)
    {
        Assert.Equal(engine, CallbackCatalog.Get(wireName).EngineType);
    }

    [Fact]
    public void Typed_keys_and_wire_names_resolve_to_the_same_event()
    {
        Assert.Same(TrainerEvents.FitEpochEnd, CallbackCatalog.Get("on_fit_epoch_end"));
        Assert.Same(ValidatorEvents.ValEnd, CallbackCatalog.Get("on_val_end"));
        Assert.Same(PredictorEvents.PredictEnd, CallbackCatalog.Get("on_predict_end"));
        Assert.Same(ExporterEvents.ExportStart, CallbackCatalog.Get("on_export_start"));
    }

    [Fact]
    public void A_misspelt_name_is_rejected_with_the_closest_names()
    {
        var ex = Assert.Throws<UnknownCallbackEventException>(() => CallbackCatalog.Get("on_fit_epoc_end"));
        Assert.Equal("on_fit_epoch_end", ex.Suggestions[0]);
        Assert.Contains("on_fit_epoch_end", ex.Message, StringComparison.Ordinal);
        Assert.Contains("on_fit_epoc_end", ex.Message, StringComparison.Ordinal);
    }
}
