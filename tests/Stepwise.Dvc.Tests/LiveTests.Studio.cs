using System.Net;
using System.Text.Json.Nodes;
using Stepwise.Dvc.Tests.Support;
using Stepwise.Imaging;

namespace Stepwise.Dvc.Tests;

public sealed partial class LiveTests
{
    private static Dictionary<string, string> StudioEnv(StudioServer server) => new()
    {
        ["DVC_STUDIO_TOKEN"] = "TEST-TOKEN",
        ["DVC_STUDIO_URL"] = server.Url,
        ["DVC_STUDIO_REPO_URL"] = "https://github.com/example/repo.git",
    };

    private static void RunStudioScenario(string cwd, Dictionary<string, string> env, ListLogger? logger = null, int retries = 2)
    {
        using var live = new Live(new LiveOptions
        {
            WorkingDirectory = cwd,
            ExpName = "studio-exp",
            ExpMessage = "hello studio",
            Environment = env,
            Logger = logger,
            StudioRetries = retries,
            StudioRetryDelay = TimeSpan.Zero,
            TimeProvider = new ManualTimeProvider(),
        });
        live.LogParam("epochs", 2);
        for (var i = 0; i < 2; i++)
        {
            live.LogMetric("loss", 1.0 / (i + 1));
            live.LogMetric("train/acc", 0.5 + (i / 10.0), timestamp: true);
            live.LogImage("img.png", Solid(2, 2, (byte)i, 0, 0));
            live.NextStep();
        }

        live.LogSklearnPlot("confusion_matrix", [0, 1], [1, 1]);
    }

    // The fields the golden README names as varying: commit shas, image encodings, wall-clock timestamps.
    private static string Normalize(JsonNode node)
    {
        var copy = node.DeepClone();
        void Walk(JsonNode? n)
        {
            if (n is JsonObject obj)
            {
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (key is "baseline_sha" or "experiment_rev" or "image" or "timestamp")
                    {
                        obj[key] = "<varies>";
                    }
                    else
                    {
                        Walk(obj[key]);
                    }
                }
            }
            else if (n is JsonArray array)
            {
                foreach (var item in array)
                {
                    Walk(item);
                }
            }
        }

        Walk(copy);
        return copy.ToJsonString();
    }

    [Fact]
    public void Studio_receives_the_reference_sequence_of_start_data_and_done_bodies()
    {
        using var dir = new TempDirectory();
        GitRepo.InitGitDvc(dir.Path);
        using var server = new StudioServer();
        RunStudioScenario(dir.Path, StudioEnv(server));

        var events = server.Events;
        var golden = Directory.EnumerateFiles(Golden.Dir("studio", "output", "studio_events")).Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList();
        Assert.Equal(golden.Count, events.Count);
        var baseline = GitRepo.Git(dir.Path, "rev-parse", "HEAD").Trim();
        var experiment = GitRepo.Git(dir.Path, "rev-parse", $"refs/exps/{baseline[..2]}/{baseline[2..]}/studio-exp").Trim();
        var timestamps = File.ReadAllLines(dir.Combine("dvclive", "plots", "metrics", "train", "acc.tsv")).Skip(1).Select(l => l.Split('\t')[0]).ToList();
        for (var i = 0; i < golden.Count; i++)
        {
            Assert.Equal(Normalize(golden[i]), Normalize(events[i]));
            var body = events[i]["body"]!;
            Assert.Equal(baseline, (string?)body["baseline_sha"]);
            if (body["experiment_rev"] is { } rev)
            {
                Assert.Equal(experiment, (string?)rev);
            }

            if (body["plots"]?["dvclive/plots/metrics/train/acc.tsv"]?["data"] is JsonArray { Count: 1 } rows)
            {
                Assert.Contains((string?)rows[0]!["timestamp"], timestamps);
            }

            if (body["plots"]?["dvclive/plots/images/img.png"]?["image"] is { } image)
            {
                // Each image is sent as the bytes of the file at the time of sending.
                Golden.AssertSamePixels(Png.Encode(Solid(2, 2, (byte)(int)body["step"]!, 0, 0)), Convert.FromBase64String((string)image!), "studio image");
            }
        }
    }

    [Fact]
    public void A_failing_studio_endpoint_is_a_warning_and_the_run_completes()
    {
        using var dir = new TempDirectory();
        GitRepo.InitGitDvc(dir.Path);
        using var server = new StudioServer(body => (string?)body["type"] == "data" ? HttpStatusCode.InternalServerError : HttpStatusCode.OK);
        var logger = new ListLogger();
        RunStudioScenario(dir.Path, StudioEnv(server), logger, retries: 1);

        Assert.Contains(logger.Warnings, w => w.StartsWith("Failed to post to Studio: 500", StringComparison.Ordinal));
        var types = server.Events.Select(e => (string?)e["body"]!["type"]).ToList();
        Assert.Equal("start", types[0]);
        Assert.Equal("done", types[^1]);
        // Each failing data request is retried once.
        Assert.Equal(3 * 2, types.Count(t => t == "data"));
        Assert.True(File.Exists(dir.Combine("dvclive", "metrics.json")));
    }

    [Fact]
    public void A_refused_start_turns_studio_off_for_the_run()
    {
        using var dir = new TempDirectory();
        GitRepo.InitGitDvc(dir.Path);
        using var server = new StudioServer(_ => HttpStatusCode.Forbidden);
        var logger = new ListLogger();
        RunStudioScenario(dir.Path, StudioEnv(server), logger);

        Assert.Single(server.Events);
        Assert.Contains("`post_to_studio` `start` failed.", logger.Warnings);
    }
}
