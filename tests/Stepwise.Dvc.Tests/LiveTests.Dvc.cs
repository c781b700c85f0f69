using System.Text;
using Stepwise.Dvc.Internal;
using Stepwise.Dvc.Tests.Support;

namespace Stepwise.Dvc.Tests;

public sealed partial class LiveTests
{
    private static LiveOptions InRepo(string cwd, ListLogger? logger = null, bool saveExp = false) => new()
    {
        WorkingDirectory = cwd,
        SaveDvcExp = saveExp,
        Environment = NoEnvironment,
        Logger = logger,
        TimeProvider = new ManualTimeProvider(),
    };

    [Fact]
    public void Artifacts_write_dvc_files_gitignores_cache_entries_and_the_artifacts_section()
    {
        using var dir = new TempDirectory();
        GitRepo.InitGitDvc(dir.Path);
        GitRepo.Write(dir.Path, "models/model.pt", "fake-model-bytes\n");
        GitRepo.Write(dir.Path, "outside/weights.bin", "weights\n");
        GitRepo.Write(dir.Path, "data/ds/part.csv", "a,b\n1,2\n");
        var logger = new ListLogger();
        using (var live = new Live(InRepo(dir.Path, logger)))
        {
            live.LogMetric("acc", 0.9);
            live.LogArtifact("models/model.pt", type: "model", name: "my-model", desc: "A model", labels: ["cv", "v1"],
                meta: new Dictionary<string, object?> { ["framework"] = "none", ["n"] = 3 });
            live.LogArtifact("outside/weights.bin", copy: true);
            live.LogArtifact("data/ds", type: "dataset", cache: false);
            live.LogArtifact("models/model.pt", name: "Bad Name!", cache: false);
        }

        Assert.Contains("Can't use 'Bad Name!' as artifact name (ID). It will not be included in the `artifacts` section.", logger.Warnings);
        AssertMatchesGolden("artifacts", dir.Path);
        // The content-addressed cache holds the bytes under their MD5, as DVC 3 does.
        Assert.Equal("fake-model-bytes\n", dir.Read(".dvc", "cache", "files", "md5", "93", "2a4aba9703f9d101114d824f22fd22"));
        Assert.Equal("weights\n", dir.Read(".dvc", "cache", "files", "md5", "fa", "d624b28208abf62b4d0db65c04757b"));
    }

    [Fact]
    public void Saving_an_experiment_commits_it_under_refs_exps_and_leaves_the_workspace_untouched()
    {
        using var dir = new TempDirectory();
        GitRepo.InitGitDvc(dir.Path);
        GitRepo.Write(dir.Path, "models/model.pt", "fake-model-bytes\n");
        var baseline = GitRepo.Git(dir.Path, "rev-parse", "HEAD").Trim();
        var statusBefore = GitRepo.Git(dir.Path, "status", "--porcelain", "--untracked-files=no");
        string? rev;
        using (var live = new Live(new LiveOptions { WorkingDirectory = dir.Path, Environment = NoEnvironment, ExpName = "my-exp", ExpMessage = "Trying DVCLive", CacheImages = true }))
        {
            live.LogParam("epochs", 2);
            for (var i = 0; i < 2; i++)
            {
                live.LogMetric("loss", 1.0 / (i + 1));
                live.LogImage("img.png", Solid(4, 4, (byte)i, 0, 0));
                live.NextStep();
            }

            live.LogArtifact("models/model.pt", type: "model");
            Assert.True(File.Exists(dir.Combine(".dvc", "tmp", "exps", "run", "DVCLIVE_ONLY")));
            live.End();
            rev = live.ExperimentRev;
        }

        Assert.NotNull(rev);
        var expRef = $"refs/exps/{baseline[..2]}/{baseline[2..]}/my-exp";
        Assert.Equal(rev, GitRepo.Git(dir.Path, "rev-parse", expRef).Trim());
        Assert.Equal(baseline, GitRepo.Git(dir.Path, "rev-parse", "HEAD").Trim());
        Assert.Equal("refs/heads/main", GitRepo.Git(dir.Path, "symbolic-ref", "HEAD").Trim());
        Assert.Equal($"parents={baseline}\nmsg=Trying DVCLive\n\n", GitRepo.Git(dir.Path, "log", "-1", "--format=parents=%P%nmsg=%B", expRef));
        Assert.Equal(
            ".dvc/.gitignore\n.dvc/config\n.dvcignore\nREADME.md\ndvc.yaml\ndvclive/metrics.json\ndvclive/params.yaml\ndvclive/plots/.gitignore\n"
            + "dvclive/plots/images.dvc\ndvclive/plots/images/img.png\ndvclive/plots/metrics/loss.tsv\nmodels/.gitignore\nmodels/model.pt.dvc\n",
            GitRepo.Git(dir.Path, "ls-tree", "-r", "--name-only", expRef));
        Assert.Equal(dir.Read("dvclive", "metrics.json"), GitRepo.Git(dir.Path, "show", expRef + ":dvclive/metrics.json"));
        // Workspace untouched: index and tracked files as before, outputs untracked, no leftover refs or signals.
        Assert.Equal(statusBefore, GitRepo.Git(dir.Path, "status", "--porcelain", "--untracked-files=no"));
        Assert.Equal("?? dvc.yaml\n?? dvclive/\n?? models/\n", GitRepo.Git(dir.Path, "status", "--short"));
        Assert.Equal($"{rev} commit\t{expRef}\n{baseline} commit\trefs/heads/main\n", GitRepo.Git(dir.Path, "for-each-ref"));
        Assert.Empty(Directory.EnumerateFiles(dir.Combine(".dvc", "tmp", "exps", "run")));

        var golden = Golden.Dir("exp_save", "output");
        foreach (var file in new[] { "dvc.yaml", "models/model.pt.dvc", "models/.gitignore", "dvclive/plots/.gitignore", "dvclive/metrics.json", "dvclive/params.yaml", "dvclive/plots/metrics/loss.tsv", "README.md", ".dvcignore" })
        {
            Golden.AssertFileMatches(Path.Combine(golden, file), dir.Combine(file), file);
        }

        // images.dvc: same structure, md5 of the manifest of our own image bytes.
        var imageMd5 = DvcCache.Md5Hex(File.ReadAllBytes(dir.Combine("dvclive", "plots", "images", "img.png")));
        var manifest = $"[{{\"md5\": \"{imageMd5}\", \"relpath\": \"img.png\"}}]";
        var manifestMd5 = DvcCache.Md5Hex(Encoding.UTF8.GetBytes(manifest));
        var size = new FileInfo(dir.Combine("dvclive", "plots", "images", "img.png")).Length;
        Assert.Equal($"outs:\n- md5: {manifestMd5}.dir\n  size: {size}\n  nfiles: 1\n  hash: md5\n  path: images\n", dir.Read("dvclive", "plots", "images.dvc"));
        Assert.Equal(manifest, dir.Read(".dvc", "cache", "files", "md5", manifestMd5[..2], manifestMd5[2..] + ".dir"));
    }
}
