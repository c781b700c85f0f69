namespace Stepwise.TensorBoard.Model;

/// <summary>A collapsible category of the Custom Scalars dashboard.</summary>
/// <param name="Title">Category title.</param>
/// <param name="Charts">Its charts, top to bottom.</param>
/// <param name="Closed">Whether the category starts collapsed.</param>
public sealed record CustomScalarCategory(string Title, IReadOnlyList<CustomScalarChart> Charts, bool Closed = false);
