namespace Stepwise.TensorBoard.Tests.Support;

/// <summary>
/// A file stream whose writes can be held at a gate (to fill the writer's queue) or made to fail after
/// a number of bytes (a full disk), for testing the background writer.
/// </summary>
internal sealed class GateStream(string path) : Stream
{
    private readonly FileStream _inner = new(path, FileMode.CreateNew, FileAccess.Write, FileShare.ReadWrite);
    private readonly ManualResetEventSlim _gate = new(true);

    public long FailAfterBytes { get; set; } = long.MaxValue;

    private int _writesEntered;

    public int WritesEntered => Volatile.Read(ref _writesEntered);

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _inner.Length;

    public override long Position { get => _inner.Position; set => throw new NotSupportedException(); }

    public void Close(bool closed)
    {
        if (closed)
        {
            _gate.Reset();
        }
        else
        {
            _gate.Set();
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Interlocked.Increment(ref _writesEntered);
        _gate.Wait();
        if (_inner.Length + count > FailAfterBytes)
        {
            throw new IOException("No space left on device");
        }

        _inner.Write(buffer, offset, count);
    }

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }
}
