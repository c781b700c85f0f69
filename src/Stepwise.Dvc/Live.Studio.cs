using System.Text;
using Microsoft.Extensions.Logging;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    private StudioClient? _studio;
    private bool _studioStartDone;
    private readonly OrderedDictionary<string, (byte[] Bytes, long Step)> _studioImages = new(StringComparer.Ordinal);

    /// <summary>True while DVC Studio live updates are on (token and repository URL configured, start accepted).</summary>
    public bool StudioEnabled => _studio is not null;

    private string StudioRoot => _dvcRoot ?? _cwd;

    private string StudioPath(string full) => RelativePosix(StudioRoot, full);

    private void InitStudio()
    {
        var config = ReadDvcConfig();
        if (EnvFlags.IsTruthy(GetEnv("DVC_STUDIO_OFFLINE")) || EnvFlags.IsTruthy(config.GetValueOrDefault("offline")))
        {
            return;
        }

        var token = NullIfEmpty(GetEnv("DVC_STUDIO_TOKEN")) ?? NullIfEmpty(GetEnv("STUDIO_TOKEN")) ?? NullIfEmpty(config.GetValueOrDefault("token"));
        var repoUrl = GitRemoteUrl(NullIfEmpty(GetEnv("DVC_EXP_GIT_REMOTE")))
            ?? NullIfEmpty(GetEnv("DVC_STUDIO_REPO_URL")) ?? NullIfEmpty(GetEnv("STUDIO_REPO_URL"))
            ?? NullIfEmpty(config.GetValueOrDefault("repo_url")) ?? CurrentBranchRemoteUrl();
        if (token is null || repoUrl is null)
        {
            return;
        }

        Uri url;
        try
        {
            url = StudioClient.Join(
                NullIfEmpty(GetEnv("DVC_STUDIO_URL")) ?? NullIfEmpty(config.GetValueOrDefault("url")) ?? "https://studio.datachain.ai",
                NullIfEmpty(GetEnv("STUDIO_ENDPOINT")) ?? "api/live");
        }
        catch (UriFormatException ex)
        {
            _logger.LogWarning("Studio URL is not valid ({Message}); live updates are off.", ex.Message);
            return;
        }

        var common = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["repo_url"] = repoUrl,
            ["baseline_sha"] = BaselineRev,
            ["name"] = ExpName ?? string.Empty,
            ["client"] = "dvclive",
        };
        var client = new StudioClient(
            _options.StudioHandler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(30) },
            url,
            token,
            common,
            _logger,
            _time,
            Math.Max(0, _options.StudioRetries),
            _options.StudioRetryDelay,
            (_resumed ? Step : 0) - 1);
        if (!_insideDvcExp)
        {
            var subdir = _gitRoot is not null && _dvcRoot is not null ? RelativePosix(_gitRoot, _dvcRoot) : null;
            if (!client.Start(_options.ExpMessage, subdir == "." ? null : subdir))
            {
                client.Dispose();
                return;
            }

            _studioStartDone = true;
        }

        _studio = client;
    }

    private Dictionary<string, string> ReadDvcConfig()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_dvcRoot is null)
        {
            return result;
        }

        foreach (var file in new[] { "config", "config.local" })
        {
            var path = Path.Combine(_dvcRoot, ".dvc", file);
            if (!File.Exists(path))
            {
                continue;
            }

            var section = string.Empty;
            foreach (var raw in File.ReadAllLines(path, Encoding.UTF8))
            {
                var line = raw.Trim();
                if (line.StartsWith('['))
                {
                    section = line.Trim('[', ']', ' ').Trim('\'', '"');
                }
                else if (section == "studio" && line.Contains('=', StringComparison.Ordinal))
                {
                    var eq = line.IndexOf('=', StringComparison.Ordinal);
                    result[line[..eq].Trim()] = line[(eq + 1)..].Trim();
                }
            }
        }

        return result;
    }

    private string? GitRemoteUrl(string? remote)
    {
        if (remote is null || _gitRoot is null)
        {
            return null;
        }

        var result = GitCli.Run(_gitRoot, null, "config", "--get", $"remote.{remote}.url");
        return result.Ok ? NullIfEmpty(result.Stdout.Trim()) : null;
    }

    private string? CurrentBranchRemoteUrl()
    {
        if (_gitRoot is null)
        {
            return null;
        }

        var branch = GitCli.Run(_gitRoot, null, "symbolic-ref", "--short", "-q", "HEAD");
        var remote = branch.Ok ? GitCli.Run(_gitRoot, null, "config", "--get", $"branch.{branch.Stdout.Trim()}.remote") : default;
        return GitRemoteUrl(remote.Ok ? remote.Stdout.Trim() : "origin");
    }

    private void AddStudioRow(MetricTsvWriter writer, long step, long? timestampMs, string cell)
    {
        writer.StudioPath ??= StudioPath(writer.Path);
        _studio!.AddRow(writer.StudioPath, step, timestampMs?.ToString(System.Globalization.CultureInfo.InvariantCulture), writer.Leaf, cell);
    }

    private void EnqueueStudioData()
    {
        if (_studio is null)
        {
            return;
        }

        var parameters = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { [StudioPath(ParamsFile)] = LiveValues.Clone(_params) };
        var metrics = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            [StudioPath(MetricsFile)] = new OrderedDictionary<string, object?>(StringComparer.Ordinal) { ["data"] = LiveValues.Clone(_summary) },
        };
        // The bytes as logged at this step (the file may be overwritten before the event is sent).
        var images = _studioImages.Select(i => (StudioPath(Path.Combine(PlotsDir, "images", i.Key)), i.Value.Bytes, i.Value.Step)).ToList();
        _studio.EnqueueData(Step, parameters, metrics, images);
    }

    private void FinishStudio()
    {
        if (_studio is null)
        {
            return;
        }

        _studio.Finish(_studioStartDone ? ExperimentRev : null, _options.StudioDrainTimeout);
    }

    private void DisposeStudio()
    {
        _studio?.Dispose();
        _studio = null;
    }
}
