namespace Stepwise.TensorBoard.Model;

/// <summary>A model graph (<c>GraphDef</c>) as the Graphs dashboard draws it.</summary>
public sealed record GraphDefinition
{
    /// <summary>The nodes.</summary>
    public IReadOnlyList<GraphNode> Nodes { get; init; } = [];

    /// <summary><c>versions.producer</c> (tensorboardX writes 22).</summary>
    public int Producer { get; init; } = 22;
}
