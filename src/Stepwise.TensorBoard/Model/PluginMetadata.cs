namespace Stepwise.TensorBoard.Model;

/// <summary>A summary value's <c>SummaryMetadata</c>: which TensorBoard plugin reads it and how.</summary>
public sealed record PluginMetadata
{
    /// <summary>Plugin name, e.g. <c>scalars</c>, <c>images</c>, <c>text</c>, <c>hparams</c>; empty when none.</summary>
    public string PluginName { get; init; } = string.Empty;

    /// <summary>Plugin-specific serialized content (empty for most plugins).</summary>
    public byte[] Content { get; init; } = [];

    /// <summary>Display name shown instead of the tag; empty when none.</summary>
    public string DisplayName { get; init; } = string.Empty;

    /// <summary>Longer description (Markdown); empty when none.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Data class: 0 unknown, 1 scalar, 2 tensor, 3 blob sequence.</summary>
    public int DataClass { get; init; }
}
