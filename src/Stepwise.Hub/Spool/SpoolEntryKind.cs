namespace Stepwise.Hub.Spool;

/// <summary>What a spool entry holds.</summary>
internal enum SpoolEntryKind
{
    /// <summary>One epoch's metrics.</summary>
    Metrics,

    /// <summary>A checkpoint snapshot to upload.</summary>
    Upload,
}
