namespace Stepwise.TensorBoard.Writing;

/// <summary>Memory layout of raw image pixels handed to <see cref="SummaryWriter.AddImage(string, ReadOnlySpan{byte}, int, int, int, ImageDataFormat, long?, double?)"/>.</summary>
public enum ImageDataFormat
{
    /// <summary>Channels, then rows, then columns (PyTorch's layout and the reference default).</summary>
    Chw = 0,

    /// <summary>Rows, then columns, then channels (interleaved, like most image libraries).</summary>
    Hwc = 1,

    /// <summary>One gray channel, rows then columns.</summary>
    Hw = 2,
}
