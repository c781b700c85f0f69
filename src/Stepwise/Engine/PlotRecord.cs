namespace Stepwise.Engine;

/// <summary>A plot file an engine wrote: when (loggers upload a plot again only when this changes) and its data.</summary>
/// <param name="Timestamp">When the file was (re)written.</param>
/// <param name="Data">Data behind the plot, or null for a plain image.</param>
public sealed record PlotRecord(DateTimeOffset Timestamp, PlotData? Data);
