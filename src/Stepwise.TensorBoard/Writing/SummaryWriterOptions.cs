namespace Stepwise.TensorBoard.Writing;

/// <summary>Options of a <see cref="SummaryWriter"/>.</summary>
public sealed record SummaryWriterOptions
{
    /// <summary>File naming, queue and flushing of the event file (and of sub-run files).</summary>
    public EventFileWriterOptions File { get; init; } = new();

    /// <summary>
    /// False (default): a tag with a character TensorBoard tags do not use (anything but letters, digits,
    /// <c>_ - . /</c>) is rejected with an error naming it. True: such characters become <c>_</c> and a
    /// leading <c>/</c> is dropped, as tensorboardX does.
    /// </summary>
    public bool SanitizeTags { get; init; }
}
