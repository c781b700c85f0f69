namespace Stepwise.TensorBoard.Model;

/// <summary>
/// One entry of a graph node's <c>attr</c> map (<c>AttrValue</c>). Set exactly one of the value properties;
/// TensorBoard shows <see cref="Shapes"/> of <c>_output_shapes</c> as edge labels and other attributes in the node card.
/// </summary>
public sealed record GraphAttribute
{
    /// <summary>Attribute name, e.g. <c>_output_shapes</c> or <c>attr</c>.</summary>
    public required string Name { get; init; }

    /// <summary>A string value (<c>s</c>).</summary>
    public string? Text { get; init; }

    /// <summary>A list of shapes (<c>list.shape</c>).</summary>
    public IReadOnlyList<IReadOnlyList<long>>? Shapes { get; init; }

    /// <summary>An integer value (<c>i</c>).</summary>
    public long? Int { get; init; }

    /// <summary>A float value (<c>f</c>).</summary>
    public float? Float { get; init; }

    /// <summary>A boolean value (<c>b</c>).</summary>
    public bool? Bool { get; init; }
}
