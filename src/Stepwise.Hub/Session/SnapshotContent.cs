using System.Net;
using System.Net.Http.Headers;

namespace Stepwise.Hub.Session;

/// <summary>A spooled checkpoint snapshot as a request body, reporting the bytes actually sent.</summary>
internal sealed class SnapshotContent : HttpContent
{
    private readonly string _path;
    private readonly long _size;
    private readonly IProgress<HubUploadProgress>? _progress;

    public SnapshotContent(string path, long size, IProgress<HubUploadProgress>? progress)
    {
        _path = path;
        _size = size;
        _progress = progress;
        Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Headers.ContentLength = size;
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long sent = 0;
        _progress?.Report(new HubUploadProgress(0, _size));
        var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                sent += read;
                _progress?.Report(new HubUploadProgress(sent, _size));
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _size;
        return true;
    }
}
