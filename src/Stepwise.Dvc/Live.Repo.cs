using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Stepwise.Dvc.Formatting;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    // SHA-256 of the JSON of an empty pipeline lock ({}), DVC's experiment hash for runs without stages.
    private const string EmptyExpHash = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";

    private static readonly string[] Adjectives =
    [
        "amber", "bold", "brisk", "calm", "clever", "cosy", "crisp", "dapper", "eager", "fair", "famed", "fleet",
        "gentle", "glad", "grand", "hale", "happy", "jolly", "keen", "kind", "lucid", "merry", "mild", "neat",
        "noble", "plain", "proud", "quick", "quiet", "rapid", "sharp", "shy", "sleek", "smart", "snowy", "solid",
        "stout", "sunny", "swift", "tidy", "vivid", "warm", "wise", "young", "zesty",
    ];

    private static readonly string[] Nouns =
    [
        "acre", "alto", "anvil", "arch", "bank", "bark", "basin", "bell", "birch", "bolt", "brook", "cedar",
        "cliff", "cloud", "comet", "coral", "crane", "creek", "delta", "dune", "eagle", "elm", "fern", "fjord",
        "flint", "forge", "grove", "harp", "hawk", "heron", "isle", "lark", "maple", "marsh", "mesa", "oak",
        "orbit", "otter", "pine", "quail", "reef", "ridge", "river", "sage", "shore", "spire", "stone", "tern",
    ];

    private string? _dvcRoot;
    private string? _gitRoot;
    private bool _saveDvcExp;
    private bool _insidePipeline;
    private bool _insideDvcExp;

    /// <summary>Folder holding <c>.dvc/</c>, or null outside a DVC repository.</summary>
    public string? DvcRoot => _dvcRoot;

    private void InitRepository()
    {
        _saveDvcExp = _options.SaveDvcExp;
        var envRoot = NullIfEmpty(GetEnv("DVC_ROOT"));
        _insidePipeline = envRoot is not null;
        _insideDvcExp = _insidePipeline && NullIfEmpty(GetEnv("DVC_EXP_BASELINE_REV")) is not null;
        if (EnvFlags.IsTruthy(GetEnv("DVCLIVE_TEST")))
        {
            _saveDvcExp = false;
            _logger.LogWarning("DVCLIVE_TEST is set: repository detection and experiment saving are off.");
            return;
        }

        try
        {
            _dvcRoot = envRoot is not null ? Path.GetFullPath(Path.Combine(_cwd, envRoot)) : FindUp(_cwd, ".dvc", directory: true);
            var top = GitCli.Run(_cwd, null, "rev-parse", "--show-toplevel");
            _gitRoot = top.Ok ? Path.GetFullPath(top.Stdout.Trim()) : null;
            if (_dvcRoot is null && _gitRoot is not null)
            {
                InitDvc(_gitRoot);
                _dvcRoot = _gitRoot;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Error in _init_dvc: {Message}", ex.Message);
        }

        if (_gitRoot is not null)
        {
            var head = GitCli.Run(_gitRoot, null, "rev-parse", "--verify", "-q", "HEAD");
            if (head.Ok)
            {
                BaselineRev = head.Stdout.Trim();
            }
        }

        if (!_saveDvcExp)
        {
            return;
        }

        if (_insideDvcExp)
        {
            _saveDvcExp = false;
            _logger.LogInformation("Inside `dvc exp run`: the experiment is saved by DVC, not by Live.");
            return;
        }

        if (_insidePipeline)
        {
            _saveDvcExp = false;
            _logger.LogWarning("Can't save experiment inside `dvc repro`.");
            return;
        }

        if (_gitRoot is null)
        {
            _saveDvcExp = false;
            _logger.LogWarning("Can't save experiment without a Git Repo.\nCreate a Git repo (`git init`) and commit (`git commit`).");
            return;
        }

        if (BaselineRev.All(c => c == '0'))
        {
            _saveDvcExp = false;
            _logger.LogWarning("Can't save experiment to an empty Git Repo.\nAdd a commit (`git commit`) to save experiments.");
            return;
        }

        ExpName = ChooseExperimentName(ExpName);
        WriteSignal("DVCLIVE_ONLY", new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["exp_name"] = ExpName,
            ["pid"] = (long)Environment.ProcessId,
        });
    }

    private static string? FindUp(string start, string name, bool directory)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, name);
            if (directory ? Directory.Exists(candidate) : File.Exists(candidate))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    // What `dvc init` creates, staged in Git (the reference initialises DVC in a Git work tree, Q14).
    private void InitDvc(string root)
    {
        var dvcDir = Path.Combine(root, ".dvc");
        Directory.CreateDirectory(dvcDir);
        File.WriteAllText(Path.Combine(dvcDir, ".gitignore"), "/config.local\n/tmp\n/cache\n");
        File.WriteAllText(Path.Combine(dvcDir, "config"), string.Empty);
        var dvcIgnore = Path.Combine(root, ".dvcignore");
        if (!File.Exists(dvcIgnore))
        {
            File.WriteAllText(
                dvcIgnore,
                "# Add patterns of files dvc should ignore, which could improve\n# the performance. Learn more at\n# https://dvc.org/doc/user-guide/dvcignore\n");
        }

        GitCli.Run(root, null, "add", "--", ".dvc/.gitignore", ".dvc/config", ".dvcignore");
        _logger.LogInformation("Initialized DVC in {Root} (needed to save experiments).", root);
    }

    private string ExperimentRef(string name) => $"refs/exps/{BaselineRev[..2]}/{BaselineRev[2..]}/{name}";

    private string ChooseExperimentName(string? requested)
    {
        if (requested is not null)
        {
            var valid = GitCli.Run(_gitRoot!, null, "check-ref-format", ExperimentRef(requested)).Ok;
            var exists = valid && GitCli.Run(_gitRoot!, null, "rev-parse", "--verify", "-q", ExperimentRef(requested)).Ok;
            if (valid && !exists)
            {
                return requested;
            }

            _logger.LogWarning(
                "Experiment name '{Name}' {Reason}; using a generated name instead.",
                requested,
                valid ? "already exists for this baseline" : "is not a valid Git reference name");
        }

        for (var attempt = 0; ; attempt++)
        {
            var name = Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)] + "-" + Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)];
            if (attempt > 50)
            {
                name += "-" + RandomNumberGenerator.GetInt32(1000, 10000).ToString(CultureInfo.InvariantCulture);
            }

            if (!GitCli.Run(_gitRoot!, null, "rev-parse", "--verify", "-q", ExperimentRef(name)).Ok)
            {
                return name;
            }
        }
    }

    private string? SignalDir => _dvcRoot is null ? null : Path.Combine(_dvcRoot, ".dvc", "tmp", "exps", "run");

    private void WriteSignal(string file, OrderedDictionary<string, object?> content)
    {
        if (SignalDir is not { } dir)
        {
            return;
        }

        try
        {
            Directory.CreateDirectory(dir);
            var json = PyJson.Serialize(content, indent: null, sortKeys: true);
            File.WriteAllText(Path.Combine(dir, file), json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogDebug("Could not write {File}: {Message}", file, ex.Message);
        }
    }

    private void DeleteSignal(string file)
    {
        if (SignalDir is { } dir)
        {
            try
            {
                File.Delete(Path.Combine(dir, file));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogDebug("Could not delete {File}: {Message}", file, ex.Message);
            }
        }
    }

    private void WriteStepSignal(long step) => WriteSignal("DVCLIVE_STEP_COMPLETED", new OrderedDictionary<string, object?>(StringComparer.Ordinal)
    {
        ["pid"] = (long)Environment.ProcessId,
        ["step"] = step,
    });

    private void RemoveStepSignal() => DeleteSignal("DVCLIVE_STEP_COMPLETED");

    /// <summary>Caches a file or folder with DVC (writes <c>&lt;path&gt;.dvc</c>, the .gitignore line and the cache objects).</summary>
    /// <param name="path">File or folder, relative to the working directory.</param>
    public void Cache(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_dvcRoot is null)
        {
            _logger.LogWarning("A DVC repo is required to cache '{Path}'.", path);
            return;
        }

        try
        {
            var dvcFile = DvcCache.Add(_dvcRoot, Path.Combine(_cwd, path));
            if (!_dvcFiles.Contains(dvcFile, StringComparer.Ordinal))
            {
                _dvcFiles.Add(dvcFile);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Error in cache: {Message}", ex.Message);
        }
    }

    private void CacheImagesFolder() => Cache(Path.Combine(PlotsDir, "images"));

    private void StageForDvcExp()
    {
        if (_gitRoot is null)
        {
            return;
        }

        var paths = new List<string> { "add", "--", _dirFull };
        if (_dvcYamlFull is not null && File.Exists(_dvcYamlFull))
        {
            paths.Add(_dvcYamlFull);
        }

        var result = GitCli.Run(_gitRoot, null, [.. paths]);
        if (!result.Ok)
        {
            _logger.LogWarning("Error in end: git add failed: {Message}", result.Stderr.Trim());
        }
    }

    // Builds the experiment commit with a private index: baseline tree + workspace changes to tracked
    // files + the Live outputs, parent = baseline; HEAD, the branch, the index and the files stay as they are.
    private void SaveExperiment()
    {
        var gitRoot = _gitRoot!;
        var indexFile = Path.Combine(Path.GetTempPath(), "stepwise-exp-" + Guid.NewGuid().ToString("N") + ".index");
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["GIT_INDEX_FILE"] = indexFile };
        try
        {
            Require(GitCli.Run(gitRoot, env, "read-tree", BaselineRev), "read-tree");
            Require(GitCli.Run(gitRoot, env, "add", "-u", "--", "."), "add -u");
            var include = new List<string>();
            if (_dvcYamlFull is not null && File.Exists(_dvcYamlFull))
            {
                include.Add(_dvcYamlFull);
            }

            var dvcTracked = _dvcFiles
                .Where(f => !string.Equals(f, Path.Combine(PlotsDir, "images") + ".dvc", StringComparison.Ordinal))
                .Select(f => f[..^".dvc".Length])
                .ToList();
            foreach (var file in Directory.EnumerateFiles(_dirFull, "*", SearchOption.AllDirectories))
            {
                if (file.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)
                    || dvcTracked.Any(t => string.Equals(file, t, StringComparison.Ordinal) || file.StartsWith(t + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
                {
                    continue;
                }

                include.Add(file);
            }

            foreach (var dvcFile in _dvcFiles)
            {
                include.Add(dvcFile);
                var gitignore = Path.Combine(Path.GetDirectoryName(dvcFile)!, ".gitignore");
                if (File.Exists(gitignore))
                {
                    include.Add(gitignore);
                }
            }

            var relative = include.Distinct(StringComparer.Ordinal)
                .Select(p => Path.GetRelativePath(gitRoot, p).Replace('\\', '/'))
                .Where(p => !p.StartsWith("../", StringComparison.Ordinal))
                .ToList();
            for (var i = 0; i < relative.Count; i += 200)
            {
                Require(GitCli.Run(gitRoot, env, ["add", "-f", "--", .. relative.Skip(i).Take(200)]), "add");
            }

            var tree = Require(GitCli.Run(gitRoot, env, "write-tree"), "write-tree").Trim();
            var message = _options.ExpMessage ?? "dvc: commit experiment " + EmptyExpHash;
            var commit = Require(GitCli.Run(gitRoot, null, "commit-tree", tree, "-p", BaselineRev, "-m", message), "commit-tree").Trim();
            Require(GitCli.Run(gitRoot, null, "update-ref", ExperimentRef(ExpName!), commit), "update-ref");
            ExperimentRev = commit;
        }
        catch (InvalidOperationException ex)
        {
            _logger.LogWarning("Error in save_dvc_exp: {Message}", ex.Message);
        }
        finally
        {
            File.Delete(indexFile);
            DeleteSignal("DVCLIVE_ONLY");
        }
    }

    private static string Require(GitCli.Result result, string what)
    {
        if (!result.Ok)
        {
            throw new InvalidOperationException($"git {what} failed: {result.Stderr.Trim()}");
        }

        return result.Stdout;
    }
}
