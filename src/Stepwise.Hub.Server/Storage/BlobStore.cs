using System.Security.Cryptography;

namespace Stepwise.Hub.Server.Storage;

/// <summary>
/// Content-addressed files: each blob is named by its SHA-256 (<c>blobs/ab/cd/abcd…</c>), written to a
/// temporary file first and renamed into place, so no client-supplied text ever becomes a path and a
/// crash never leaves a half-written blob under a valid name.
/// </summary>
internal sealed class BlobStore
{
    private readonly string _root;
    private readonly string _temp;

    /// <summary>Creates the store under a directory (created when missing).</summary>
    /// <param name="root">The blob directory.</param>
    public BlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        _temp = Path.Combine(_root, "tmp");
        Directory.CreateDirectory(_temp);
    }

    /// <summary>The blob directory.</summary>
    public string Root => _root;

    /// <summary>The path of a stored blob (which may not exist).</summary>
    /// <param name="sha256">Lower-case hex SHA-256.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentException">The text is not 64 lower-case hex characters.</exception>
    public string PathOf(string sha256)
    {
        if (!IsSha256(sha256))
        {
            throw new ArgumentException("A blob name is 64 lower-case hex characters.", nameof(sha256));
        }

        return Path.Combine(_root, sha256[..2], sha256[2..4], sha256);
    }

    /// <summary>True when the blob is stored.</summary>
    /// <param name="sha256">Lower-case hex SHA-256.</param>
    /// <returns>True when present.</returns>
    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>True for 64 lower-case hex characters.</summary>
    /// <param name="text">The text.</param>
    /// <returns>True when valid.</returns>
    public static bool IsSha256(string? text) => text is { Length: 64 } && text.All(char.IsAsciiHexDigitLower);

    /// <summary>
    /// Copies a stream into a temporary file while hashing it, stopping as soon as more than
    /// <paramref name="maxBytes"/> arrive. The caller verifies the result and then commits or discards it.
    /// </summary>
    /// <param name="source">The content.</param>
    /// <param name="maxBytes">Most bytes accepted.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The pending blob (dispose to delete it if not committed).</returns>
    public async Task<PendingBlob> ReceiveAsync(Stream source, long maxBytes, CancellationToken cancellationToken)
    {
        var tempPath = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".part");
        var pending = new PendingBlob(this, tempPath);
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var file = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    if (total > maxBytes)
                    {
                        pending.TooLarge = true;
                        break;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                pending.Size = total;
            }

            pending.Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
            return pending;
        }
        catch
        {
            pending.Dispose();
            throw;
        }
    }

    /// <summary>Moves a received temp file to its content address (keeps an identical existing blob).</summary>
    /// <param name="pending">The received blob.</param>
    internal void Commit(PendingBlob pending)
    {
        var target = PathOf(pending.Sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (File.Exists(target))
        {
            File.Delete(pending.TempPath);
            return;
        }

        try
        {
            File.Move(pending.TempPath, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            // Another upload of the same content won the rename: same bytes, nothing to do.
            File.Delete(pending.TempPath);
        }
    }

    /// <summary>Stores bytes held in memory (small blobs such as images).</summary>
    /// <param name="content">The bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The SHA-256 name.</returns>
    public async Task<string> PutAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        if (Exists(sha))
        {
            return sha;
        }

        var tempPath = Path.Combine(_temp, Guid.NewGuid().ToString("N") + ".part");
        await File.WriteAllBytesAsync(tempPath, content.ToArray(), cancellationToken).ConfigureAwait(false);
        using var pending = new PendingBlob(this, tempPath) { Sha256 = sha, Size = content.Length };
        Commit(pending);
        return sha;
    }
}
