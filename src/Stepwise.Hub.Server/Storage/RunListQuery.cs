namespace Stepwise.Hub.Server.Storage;

/// <summary>Filters and page of a run listing.</summary>
/// <param name="Project">The project.</param>
/// <param name="Status">Stored status to match, or null.</param>
/// <param name="Stalled">True: only running runs quiet since <paramref name="StallCutoff"/>; false: only those seen after it; null: either.</param>
/// <param name="StallCutoff">Unix ms before which a running run counts as stalled.</param>
/// <param name="NameContains">Substring of the name, or null.</param>
/// <param name="Limit">Page size.</param>
/// <param name="Offset">Rows to skip.</param>
internal sealed record RunListQuery(string Project, string? Status, bool? Stalled, long StallCutoff, string? NameContains, int Limit, int Offset);
