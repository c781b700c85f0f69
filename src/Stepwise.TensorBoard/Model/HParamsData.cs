namespace Stepwise.TensorBoard.Model;

/// <summary>Decoded content of an hparams plugin summary (<c>HParamsPluginData</c>).</summary>
public sealed record HParamsData
{
    /// <summary>Which summary this is.</summary>
    public HParamsKind Kind { get; init; }

    /// <summary>Experiment: hyperparameter names and types in order.</summary>
    public IReadOnlyList<HParamInfo> HParamInfos { get; init; } = [];

    /// <summary>Experiment: metric tags.</summary>
    public IReadOnlyList<string> MetricTags { get; init; } = [];

    /// <summary>Session start: hyperparameter values in stored order; each is a double, string or bool.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Values { get; init; } = [];

    /// <summary>Session start: group name (empty when none).</summary>
    public string GroupName { get; init; } = string.Empty;

    /// <summary>Session start: start time in Unix seconds (0 when not set).</summary>
    public double StartTimeSeconds { get; init; }

    /// <summary>Session end: 0 unknown, 1 success, 2 failure, 3 running.</summary>
    public int Status { get; init; }

    /// <summary>Session end: end time in Unix seconds (0 when not set).</summary>
    public double EndTimeSeconds { get; init; }
}
