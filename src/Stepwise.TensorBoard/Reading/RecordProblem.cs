namespace Stepwise.TensorBoard.Reading;

/// <summary>A corrupt or truncated record found while reading.</summary>
/// <param name="FilePath">The file.</param>
/// <param name="Offset">Byte offset where the bad record starts.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">A readable description.</param>
public sealed record RecordProblem(string FilePath, long Offset, RecordProblemKind Kind, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{FilePath}: byte {Offset}: {Message}";
}
