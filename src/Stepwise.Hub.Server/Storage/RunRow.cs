namespace Stepwise.Hub.Server.Storage;

/// <summary>A run row.</summary>
internal sealed class RunRow
{
    public string Id { get; init; } = string.Empty;

    public string Project { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string? Task { get; init; }

    public string Status { get; init; } = "running";

    public long CreatedAt { get; init; }

    public long? EndedAt { get; init; }

    public long LastSeenAt { get; init; }

    /// <summary>The training arguments as a JSON object text.</summary>
    public string? Args { get; init; }

    /// <summary>The client info as a JSON object text.</summary>
    public string? Client { get; init; }

    public string? ClientRunId { get; init; }

    public long StopRequested { get; init; }

    public string? PrimaryMetric { get; init; }

    public string? PrimaryMode { get; init; }

    public string? AgentId { get; init; }

    public string? Host { get; init; }

    public string? StopReason { get; init; }
}
