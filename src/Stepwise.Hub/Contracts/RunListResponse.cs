namespace Stepwise.Hub.Contracts;

/// <summary>One page of runs.</summary>
/// <param name="Items">The runs, newest first.</param>
/// <param name="Total">How many runs match the filters.</param>
/// <param name="Limit">The page size used.</param>
/// <param name="Offset">The offset used.</param>
public sealed record RunListResponse(IReadOnlyList<RunDto> Items, long Total, int Limit, int Offset);
