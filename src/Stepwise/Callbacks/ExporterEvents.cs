using Stepwise.Engine;

namespace Stepwise.Callbacks;

/// <summary>Events raised by the <see cref="Exporter"/>; handlers receive the Exporter.</summary>
public static class ExporterEvents
{
    /// <summary><c>on_export_start</c>: before the model is written in the requested format.</summary>
    public static readonly CallbackEvent<Exporter> ExportStart = CallbackCatalog.Define<Exporter>("on_export_start", 25);

    /// <summary><c>on_export_end</c>: after the export finished, with the output path and format.</summary>
    public static readonly CallbackEvent<Exporter> ExportEnd = CallbackCatalog.Define<Exporter>("on_export_end", 26);
}
