using System.Text.Json.Serialization;

namespace Stepwise.Hub.Contracts;

/// <summary>A run's status as the Hub reports it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HubRunStatus>))]
public enum HubRunStatus
{
    /// <summary>The run is training and was heard from recently.</summary>
    [JsonStringEnumMemberName("running")]
    Running,

    /// <summary>The run ended normally.</summary>
    [JsonStringEnumMemberName("finished")]
    Finished,

    /// <summary>The run was stopped on request.</summary>
    [JsonStringEnumMemberName("stopped")]
    Stopped,

    /// <summary>The run ended with an error.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>The run is marked running but sent no heartbeat or metrics for the stall interval.</summary>
    [JsonStringEnumMemberName("stalled")]
    Stalled,
}
