using System.Text.Json.Serialization;

namespace Stepwise.Hub.Contracts;

/// <summary>Whether a larger or a smaller metric value is better.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MetricMode>))]
public enum MetricMode
{
    /// <summary>Larger is better (accuracy).</summary>
    [JsonStringEnumMemberName("max")]
    Max,

    /// <summary>Smaller is better (loss).</summary>
    [JsonStringEnumMemberName("min")]
    Min,
}
