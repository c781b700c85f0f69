namespace Stepwise.TensorBoard.Reading;

/// <summary>A record of an event file is corrupt or truncated (thrown in <see cref="CorruptRecordMode.Throw"/> mode).</summary>
public sealed class EventFileCorruptException : IOException
{
    /// <summary>Creates the exception for a problem.</summary>
    /// <param name="problem">The problem found.</param>
    public EventFileCorruptException(RecordProblem problem)
        : base(problem?.ToString())
    {
        Problem = problem ?? throw new ArgumentNullException(nameof(problem));
    }

    /// <summary>Creates the exception with a message.</summary>
    public EventFileCorruptException()
        : this(new RecordProblem(string.Empty, 0, RecordProblemKind.Malformed, "corrupt event file"))
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public EventFileCorruptException(string message)
        : this(new RecordProblem(string.Empty, 0, RecordProblemKind.Malformed, message))
    {
    }

    /// <summary>Creates the exception with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EventFileCorruptException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problem = new RecordProblem(string.Empty, 0, RecordProblemKind.Malformed, message);
    }

    /// <summary>The problem: file, offset, kind.</summary>
    public RecordProblem Problem { get; }
}
