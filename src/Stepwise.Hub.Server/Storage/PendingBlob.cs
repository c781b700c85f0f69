namespace Stepwise.Hub.Server.Storage;

/// <summary>A received upload in a temporary file, not yet stored under its hash.</summary>
internal sealed class PendingBlob : IDisposable
{
    private readonly BlobStore _store;
    private bool _committed;

    /// <summary>Creates the handle.</summary>
    /// <param name="store">The store it belongs to.</param>
    /// <param name="tempPath">The temporary file.</param>
    public PendingBlob(BlobStore store, string tempPath)
    {
        _store = store;
        TempPath = tempPath;
    }

    /// <summary>The temporary file.</summary>
    public string TempPath { get; }

    /// <summary>Bytes received (stops counting past the limit).</summary>
    public long Size { get; set; }

    /// <summary>Lower-case hex SHA-256 of what was received.</summary>
    public string Sha256 { get; set; } = string.Empty;

    /// <summary>True when more than the allowed bytes arrived.</summary>
    public bool TooLarge { get; set; }

    /// <summary>Stores the blob under its hash.</summary>
    public void Commit()
    {
        _store.Commit(this);
        _committed = true;
    }

    /// <summary>Deletes the temporary file unless it was committed.</summary>
    public void Dispose()
    {
        if (!_committed && File.Exists(TempPath))
        {
            File.Delete(TempPath);
        }
    }
}
