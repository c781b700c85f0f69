using System.Text.Json.Serialization;

namespace Stepwise.Hub.Contracts;

/// <summary>Which checkpoint of a run an upload is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CheckpointKind>))]
public enum CheckpointKind
{
    /// <summary>The latest epoch's checkpoint.</summary>
    [JsonStringEnumMemberName("last")]
    Last,

    /// <summary>The best checkpoint so far.</summary>
    [JsonStringEnumMemberName("best")]
    Best,

    /// <summary>The checkpoint at the end of training.</summary>
    [JsonStringEnumMemberName("final")]
    Final,
}
