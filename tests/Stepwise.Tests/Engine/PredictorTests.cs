using Stepwise.Callbacks;
using Stepwise.Engine;
using Stepwise.Imaging;
using Stepwise.Tests.Support;

namespace Stepwise.Tests.Engine;

public sealed class PredictorTests(TrainedModels models) : IClassFixture<TrainedModels>
{
    private static List<string> Record(CallbackRegistry registry)
    {
        var events = new List<string>();
        foreach (var e in new[] { PredictorEvents.PredictStart, PredictorEvents.PredictBatchStart, PredictorEvents.PredictPostprocessEnd, PredictorEvents.PredictBatchEnd, PredictorEvents.PredictEnd })
        {
            string name = e.WireName;
            registry.Add(e, p =>
            {
                string line = $"{name} seen={p.Seen}";
                if (p.Batch is { } batch)
                {
                    line += $" paths=[{string.Join(", ", batch.Sources.Select(s => $"'{Path.GetFileName(s)}'"))}]";
                }

                if (name is "on_predict_postprocess_end" or "on_predict_batch_end")
                {
                    line += $" n_results={p.Results.Count}";
                }

                events.Add(line);
            });
        }

        return events;
    }

    private static Predictor NewPredictor(out List<string> events)
    {
        var registry = new CallbackRegistry(rank: RankInfo.Single);
        events = Record(registry);
        return new Predictor(registry, timeProvider: new FrozenTimeProvider());
    }

    [Fact]
    public void Predicting_a_folder_of_two_images_raises_the_reference_event_sequence()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 2);
        var predictor = NewPredictor(out var events);
        var results = predictor.Predict(EvaluationModel.Load(models.ImageCheckpoint), PredictionSource.FromPath(tmp.Combine("images")));

        var expected = File.ReadAllLines(EngineTestRun.GoldenDir("ultralytics", "trace_predict.txt"))
            .Where(l => l.Length > 5 && char.IsDigit(l[0]))
            .Select(l =>
            {
                var parts = l.Split(' ', 5, StringSplitOptions.RemoveEmptyEntries);
                return parts[1] + " " + parts[4];
            })
            .ToList();
        Assert.Equal(expected, events);
        Assert.Equal(2, results.Count);
        Assert.True(predictor.Completed);
    }

    [Fact]
    public void Results_carry_source_probabilities_top_classes_and_timings()
    {
        using var tmp = new TempDirectory();
        var paths = TrainedModels.WriteImages(tmp.Combine("images"), 3);
        var model = EvaluationModel.Load(models.ImageCheckpoint);
        var results = new Predictor().Predict(model, PredictionSource.FromPath(tmp.Combine("images")), new PredictOptions { Batch = 2 });

        Assert.Equal(paths, results.Select(r => r.Source));
        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        foreach (var r in results)
        {
            Assert.Equal(model.ClassCount, r.Probabilities.Count);
            Assert.Equal(1.0, r.Probabilities.Sum(p => (double)p), 4);
            Assert.Equal(5, r.Top5.Count);
            Assert.Equal(r.Probabilities.Max(), r.Top1.Confidence);
            Assert.Equal(model.ClassNames[r.Top1.Index], r.Top1.Name);
            Assert.True(r.Top5.Zip(r.Top5.Skip(1)).All(p => p.First.Confidence >= p.Second.Confidence));
            Assert.True(r.Speed.PreprocessMs >= 0 && r.Speed.InferenceMs >= 0 && r.Speed.PostprocessMs >= 0);
            Assert.Equal(12, r.Image!.Width);
        }
    }

    [Fact]
    public void Predictions_from_files_equal_the_models_output_on_the_dataset_features()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 4);
        var model = EvaluationModel.Load(models.ImageCheckpoint);
        var fromFiles = new Predictor().Predict(model, PredictionSource.FromPath(tmp.Combine("images")));
        var rows = Enumerable.Range(0, 4).Select(i => TrainedModels.Val.FeaturesAt(i).ToArray()).ToList();
        var fromArrays = new Predictor().Predict(model, PredictionSource.FromArrays(rows), new PredictOptions { Batch = 4 });

        Assert.Equal(["array[0]", "array[1]", "array[2]", "array[3]"], fromArrays.Select(r => r.Source));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(fromArrays[i].Probabilities, fromFiles[i].Probabilities);
            Assert.Equal(model.Predict(rows[i], 1), fromFiles[i].Probabilities);
        }
    }

    [Fact]
    public void Images_of_any_size_and_colour_type_are_converted_to_the_models_gray_input()
    {
        var gray = TrainedModels.Val.ImageAt(0);
        var rgb = gray.ToRgb();
        var big = gray.Resize(36, 36);
        var rgba = new RasterImage(12, 12, 4);
        for (int i = 0; i < 144; i++)
        {
            rgba.Pixels[(i * 4) + 0] = rgba.Pixels[(i * 4) + 1] = rgba.Pixels[(i * 4) + 2] = gray.Pixels[i];
            rgba.Pixels[(i * 4) + 3] = 255;
        }

        var model = EvaluationModel.Load(models.ImageCheckpoint);
        var results = new Predictor().Predict(model, PredictionSource.FromImages([gray, rgb, rgba, big]));

        Assert.Equal(results[0].Probabilities, results[1].Probabilities);
        Assert.Equal(results[0].Probabilities, results[2].Probabilities);
        var expected = new float[144];
        Predictor.ToFeatures(big, model.Input, expected);
        Assert.Equal(model.Predict(expected, 1), results[3].Probabilities);
        Assert.Equal(36, results[3].Image!.Width);
    }

    [Fact]
    public void Stopping_the_enumeration_early_still_raises_predict_end_with_the_count_seen()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 5);
        var predictor = NewPredictor(out var events);
        int endSeen = -1;
        int endDelivered = -1;
        predictor.Callbacks.Add(PredictorEvents.PredictEnd, p => (endSeen, endDelivered) = (p.Seen, p.Delivered));

        var first = predictor.Stream(EvaluationModel.Load(models.ImageCheckpoint), PredictionSource.FromPath(tmp.Combine("images")), new PredictOptions { Batch = 2 })
            .Take(3).ToList();

        Assert.Equal(3, first.Count);
        Assert.Equal(4, endSeen);
        Assert.Equal(3, endDelivered);
        Assert.False(predictor.Completed);
        Assert.Single(events, e => e.StartsWith("on_predict_end", StringComparison.Ordinal));
        Assert.Equal(2, events.Count(e => e.StartsWith("on_predict_batch_end", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_stream_that_is_never_enumerated_raises_no_events()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 2);
        var predictor = NewPredictor(out var events);
        using var enumerator = predictor.Stream(EvaluationModel.Load(models.ImageCheckpoint), PredictionSource.FromPath(tmp.Combine("images"))).GetEnumerator();
        Assert.Empty(events);
    }

    [Fact]
    public async Task Cancelling_the_async_stream_raises_predict_end()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 4);
        var predictor = NewPredictor(out var events);
        using var cts = new CancellationTokenSource();
        var seen = new List<string>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var r in predictor.StreamAsync(EvaluationModel.Load(models.ImageCheckpoint), PredictionSource.FromPath(tmp.Combine("images")), cancellationToken: cts.Token))
            {
                seen.Add(r.Source);
                cts.Cancel();
            }
        });

        Assert.Single(seen);
        Assert.Equal("on_predict_end seen=1 paths=['pred_0.png']", events[^1]);
    }

    [Fact]
    public void A_handler_can_replace_the_results_and_the_replacement_is_written_and_yielded()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 3);
        var predictor = new Predictor(new CallbackRegistry(rank: RankInfo.Single));
        var frames = new List<RasterImage?>();
        predictor.Callbacks.Add(PredictorEvents.PredictPostprocessEnd, p =>
        {
            // Pair each result with its source frame, as the reference example does, and relabel it.
            frames.AddRange(p.Batch!.Images);
            p.Results = [.. p.Results.Select((r, i) => r with { Source = r.Source + "#frame", Image = p.Batch.Images[i], Top5 = [new ClassScore(5, "line", 1f)] })];
        });
        predictor.Callbacks.Add(PredictorEvents.PredictBatchEnd, p =>
        {
            if (p.Batch!.Index == 1)
            {
                p.Results = [];
            }
        });

        var results = predictor.Predict(EvaluationModel.Load(models.ImageCheckpoint), PredictionSource.FromPath(tmp.Combine("images")),
            new PredictOptions { SaveTxt = true, Project = tmp.Path });

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.EndsWith("#frame", r.Source, StringComparison.Ordinal));
        Assert.All(results, r => Assert.Equal("line", r.Top1.Name));
        Assert.Equal(3, frames.Count);
        Assert.Same(frames[0], results[0].Image);
        Assert.Equal(3, predictor.Seen);
        Assert.Equal("1.00 line\n", File.ReadAllText(Path.Combine(predictor.SaveDir, "labels", "pred_0.png_frame.txt")));
    }

    [Fact]
    public void A_handler_can_stop_prediction_after_a_batch()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 4);
        var predictor = NewPredictor(out var events);
        predictor.Callbacks.Add(PredictorEvents.PredictBatchEnd, p => p.RequestStop("enough"));
        var results = predictor.Predict(EvaluationModel.Load(models.ImageCheckpoint), PredictionSource.FromPath(tmp.Combine("images")));
        Assert.Single(results);
        Assert.False(predictor.Completed);
        Assert.Equal("on_predict_end seen=1 paths=['pred_0.png']", events[^1]);
    }

    [Fact]
    public void An_unreadable_image_is_reported_with_its_path_and_skipped_and_the_rest_goes_on()
    {
        using var tmp = new TempDirectory();
        var paths = TrainedModels.WriteImages(tmp.Combine("images"), 3);
        File.WriteAllBytes(paths[1], [1, 2, 3, 4]);
        string jpeg = tmp.Combine("images", "photo.jpg");
        File.WriteAllBytes(jpeg, [0xFF, 0xD8, 0xFF]);
        File.WriteAllText(tmp.Combine("images", "notes.txt"), "not an image");
        var output = new StringWriter();
        var predictor = new Predictor();
        var results = predictor.Predict(EvaluationModel.Load(models.ImageCheckpoint), PredictionSource.FromPath(tmp.Combine("images")), new PredictOptions { Output = output });

        Assert.Equal([paths[0], paths[2]], results.Select(r => r.Source));
        Assert.Equal([jpeg, paths[1]], predictor.Skipped.Select(s => s.Path).Order(StringComparer.Ordinal));
        Assert.Equal(4, predictor.Total);
        string text = output.ToString();
        Assert.Contains($"WARNING skipping {paths[1]}:", text, StringComparison.Ordinal);
        Assert.Contains("PNG only", text, StringComparison.Ordinal);
        Assert.Contains("Skipped 2 of 4 inputs that could not be read", text, StringComparison.Ordinal);
        Assert.True(predictor.Completed);
    }

    [Fact]
    public void The_console_prints_one_line_per_image_and_a_speed_summary()
    {
        using var tmp = new TempDirectory();
        var paths = TrainedModels.WriteImages(tmp.Combine("images"), 2);
        var output = new StringWriter();
        var results = new Predictor(timeProvider: new FrozenTimeProvider()).Predict(EvaluationModel.Load(models.ImageCheckpoint),
            PredictionSource.FromPath(tmp.Combine("images")), new PredictOptions { Output = output });
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string top = string.Join(", ", results[0].Top5.Select(s => $"{s.Name} {s.Confidence:0.00}"));
        Assert.Equal($"image 1/2 {paths[0]}: 12x12 {top}, 0.0ms", lines[0]);
        Assert.StartsWith("image 2/2 ", lines[1], StringComparison.Ordinal);
        Assert.Equal("Speed: 0.0ms preprocess, 0.0ms inference, 0.0ms postprocess per image at shape (1, 1, 12, 12)", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Save_writes_annotated_images_and_save_txt_writes_top5_label_files_in_a_numbered_run_directory()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 2);
        var model = EvaluationModel.Load(models.ImageCheckpoint);
        var options = new PredictOptions { Save = true, SaveTxt = true, Project = tmp.Combine("runs") };
        var first = new Predictor();
        var results = first.Predict(model, PredictionSource.FromPath(tmp.Combine("images", "*.png")), options);
        var second = new Predictor();
        second.Predict(model, PredictionSource.FromPath(tmp.Combine("images", "pred_1.png")), options);

        Assert.Equal(tmp.Combine("runs", "predict"), first.SaveDir);
        Assert.Equal(tmp.Combine("runs", "predict2"), second.SaveDir);
        var annotated = Png.Load(Path.Combine(first.SaveDir, "pred_0.png"));
        Assert.Equal((168, 168, 3), (annotated.Width, annotated.Height, annotated.Channels));
        // The label background sits top-left; the enlarged image shows below the five label lines.
        Assert.Equal(20, annotated[2, 2, 0]);
        var source = TrainedModels.Val.ImageAt(0);
        Assert.Equal(source[11, 11, 0], annotated[167, 167, 0]);
        string expected = string.Concat(results[0].Top5.Select(s => $"{s.Confidence:0.00} {s.Name}\n"));
        Assert.Equal(expected, File.ReadAllText(Path.Combine(first.SaveDir, "labels", "pred_0.txt")));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(first.SaveDir, "labels", "pred_1.txt")).Length);
    }

    [Fact]
    public void A_glob_with_a_double_star_folder_finds_images_in_sub_folders()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("a"), 1);
        TrainedModels.WriteImages(tmp.Combine("a", "b"), 2);
        var results = new Predictor().Predict(EvaluationModel.Load(models.ImageCheckpoint), PredictionSource.FromPath(tmp.Combine("a", "**", "pred_*.png")));
        Assert.Equal([tmp.Combine("a", "b", "pred_0.png"), tmp.Combine("a", "b", "pred_1.png"), tmp.Combine("a", "pred_0.png")], results.Select(r => r.Source));
    }

    [Fact]
    public void A_tabular_model_predicts_csv_rows_with_columns_in_any_order()
    {
        using var tmp = new TempDirectory();
        string csv = tmp.Combine("rows.csv");
        File.WriteAllText(csv, "c,label,a,b\n0.01,k0,0.1,1.0\n0.02,k2,2.0,0.0\n");
        var model = EvaluationModel.Load(models.TabularCheckpoint);
        Assert.Equal(["a", "b", "c"], model.Input.FeatureNames);
        var output = new StringWriter();
        var results = new Predictor().Predict(model, PredictionSource.FromPath(csv), new PredictOptions { Output = output, Batch = 8 });

        Assert.Equal([$"{csv}:2", $"{csv}:3"], results.Select(r => r.Source));
        Assert.Equal(model.Predict([0.1f, 1.0f, 0.01f], 1), results[0].Probabilities);
        Assert.Equal(3, results[0].Top5.Count);
        Assert.Null(results[0].Image);
        Assert.StartsWith($"row 1/2 {csv}:2: ", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b,label\n1,2,k0\n", "missing 'c'")]
    [InlineData("a,b,c,d\n1,2,3,4\n", "unexpected 'd'")]
    [InlineData("a,b,c\n1,x,3\n", "line 2, column 2 ('b'): 'x' is not a finite number")]
    [InlineData("a,b,c\n", "no data rows")]
    public void A_csv_that_does_not_match_the_models_features_is_an_error_before_any_event(string content, string message)
    {
        using var tmp = new TempDirectory();
        string csv = tmp.Combine("rows.csv");
        File.WriteAllText(csv, content);
        var predictor = NewPredictor(out var events);
        var ex = Assert.Throws<PredictionSourceException>(() => predictor.Stream(EvaluationModel.Load(models.TabularCheckpoint), PredictionSource.FromPath(csv)));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains(csv, ex.Message, StringComparison.Ordinal);
        Assert.Empty(events);
    }

    [Fact]
    public void Sources_that_do_not_fit_the_model_are_errors_naming_the_source()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 1);
        var image = EvaluationModel.Load(models.ImageCheckpoint);
        var tabular = EvaluationModel.Load(models.TabularCheckpoint);
        var p = new Predictor();

        Assert.Contains("does not exist", Assert.Throws<PredictionSourceException>(() => p.Stream(image, PredictionSource.FromPath(tmp.Combine("nope")))).Message, StringComparison.Ordinal);
        Assert.Contains("has no image files", Assert.Throws<PredictionSourceException>(() => p.Stream(image, PredictionSource.FromPath(tmp.Path))).Message, StringComparison.Ordinal);
        Assert.Contains("matches no image files", Assert.Throws<PredictionSourceException>(() => p.Stream(image, PredictionSource.FromPath(tmp.Combine("images", "*.jpg")))).Message, StringComparison.Ordinal);
        Assert.Contains("is a CSV file, but the model takes image 12x12", Assert.Throws<PredictionSourceException>(() => p.Stream(image, PredictionSource.FromPath(models.CsvPath))).Message, StringComparison.Ordinal);
        Assert.Contains("holds images, but the model takes tabular 3 features", Assert.Throws<PredictionSourceException>(() => p.Stream(tabular, PredictionSource.FromPath(tmp.Combine("images")))).Message, StringComparison.Ordinal);
        Assert.Contains("array[1] has 2 values; the model takes 144", Assert.Throws<PredictionSourceException>(() => p.Stream(image, PredictionSource.FromArrays([new float[144], new float[2]]))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_parses_command_line_keys_and_rejects_unknown_ones()
    {
        using var tmp = new TempDirectory();
        TrainedModels.WriteImages(tmp.Combine("images"), 2);
        var predictor = new Predictor();
        int count = predictor.Run(new Dictionary<string, string>
        {
            ["model"] = models.ImageCheckpoint,
            ["source"] = tmp.Combine("images"),
            ["batch"] = "2",
            ["save_txt"] = "True",
            ["project"] = tmp.Path,
            ["dvc"] = "false",
        });
        Assert.Equal(2, count);
        Assert.True(File.Exists(Path.Combine(predictor.SaveDir, "labels", "pred_1.txt")));
        var ex = Assert.Throws<ArgumentException>(() => predictor.Run(new Dictionary<string, string> { ["model"] = "m", ["source"] = "s", ["bacth"] = "2" }));
        Assert.Equal("Unknown argument 'bacth'. Did you mean batch?", ex.Message);
        Assert.StartsWith("Argument batch='0'", Assert.Throws<ArgumentException>(() => predictor.Run(new Dictionary<string, string> { ["model"] = "m", ["source"] = "s", ["batch"] = "0" })).Message, StringComparison.Ordinal);
    }
}
