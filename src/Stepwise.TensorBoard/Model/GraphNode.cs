namespace Stepwise.TensorBoard.Model;

/// <summary>
/// One node of a graph (<c>NodeDef</c>). A <c>/</c>-separated name puts the node in collapsible groups;
/// <see cref="Inputs"/> name the producer nodes, which draws the edges.
/// </summary>
public sealed record GraphNode
{
    /// <summary>Node name (scope path), e.g. <c>MLP/Linear[fc1]/output</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Operation, e.g. <c>Linear</c>, <c>IO Node</c>.</summary>
    public required string Op { get; init; }

    /// <summary>Names of the nodes feeding this one.</summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>Device, empty when none.</summary>
    public string Device { get; init; } = string.Empty;

    /// <summary>Attributes in write order.</summary>
    public IReadOnlyList<GraphAttribute> Attributes { get; init; } = [];
}
