
namespace Stepwise.Dvc.Tests;

public sealed partial class LiveTests
{
    private const string UserDvcYaml = """
        # Pipeline of the project
        stages:
          train:
            cmd: python train.py  # trains
            deps:
            - train.py
        metrics:
        - my_dvclive/metrics.json   # not ours (Q10)
        - dvclive/metrics.json
        plots:
        - dvclive/plots/metrics:
            x: step
        - custom.json:
            x: a
        artifacts:
          old:
            path: dvclive/artifacts/old.bin
          kept:
            path: models/kept.pt
            type: model

        """;

    [Fact]
    public void An_existing_dvc_yaml_keeps_the_users_stages_entries_and_comments()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("dvc.yaml"), UserDvcYaml);
        using (var live = new Live(Plain(dir.Path)))
        {
            live.LogParam("lr", 0.1);
            live.LogMetric("loss", 0.5);
            live.NextStep();
        }

        Assert.Equal(
            """
            # Pipeline of the project
            stages:
              train:
                cmd: python train.py  # trains
                deps:
                - train.py
            metrics:
            - my_dvclive/metrics.json   # not ours (Q10)
            - dvclive/metrics.json
            plots:
            - custom.json:
                x: a
            - dvclive/plots/metrics:
                x: step
            artifacts:
              kept:
                path: models/kept.pt
                type: model
            params:
            - dvclive/params.yaml

            """,
            dir.Read("dvc.yaml"));
    }

    [Fact]
    public void A_dvc_yaml_inside_the_output_folder_does_not_grow_at_every_step()
    {
        using var dir = new TempDirectory();
        using (var live = new Live(Plain(dir.Path, dvcYaml: "dvclive/dvc.yaml")))
        {
            for (var i = 0; i < 3; i++)
            {
                live.LogMetric("m", i);
                live.NextStep();
            }
        }

        Assert.Equal("metrics:\n- metrics.json\nplots:\n- plots/metrics:\n    x: step\n", dir.Read("dvclive", "dvc.yaml"));
    }

    [Fact]
    public void Resume_keeps_the_previous_runs_plots_listed_and_reports_them()
    {
        using var dir = new TempDirectory();
        using (var live = new Live(Plain(dir.Path, LiveReportMode.Html)))
        {
            live.LogMetric("m", 1);
            live.LogImage("img.png", Solid(2, 2, 1, 2, 3));
            live.LogSklearnPlot("confusion_matrix", [0, 1], [1, 1], normalized: true);
            live.NextStep();
        }

        var before = dir.Read("dvc.yaml");
        using (var live = new Live(Plain(dir.Path, LiveReportMode.Html, resume: true)))
        {
            live.LogMetric("m", 2);
            live.NextStep();
        }

        Assert.Equal(before, dir.Read("dvc.yaml"));
        Assert.Contains("vegaEmbed('#confusion_matrix', spec);", dir.Read("dvclive", "report.html"), StringComparison.Ordinal);
        Assert.Equal("step\tm\n0\t1\n1\t2\n", dir.Read("dvclive", "plots", "metrics", "m.tsv"));
    }
}
