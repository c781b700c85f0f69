
namespace Stepwise.Hub.Server.Api;

/// <summary>An error answered as RFC 7807 problem details; thrown by endpoint code, written by the error middleware.</summary>
internal sealed class HubApiException : Exception
{
    /// <summary>Creates the error.</summary>
    /// <param name="status">HTTP status.</param>
    /// <param name="kind">Short problem kind (last segment of the type URI).</param>
    /// <param name="title">Summary of the kind.</param>
    /// <param name="detail">What went wrong.</param>
    /// <param name="field">The offending field, if any.</param>
    public HubApiException(int status, string kind, string title, string detail, string? field = null)
        : base(detail)
    {
        Status = status;
        Kind = kind;
        Title = title;
        Field = field;
    }

    /// <summary>Creates an unspecified error (for serializers).</summary>
    public HubApiException()
        : this(StatusCodes.Status500InternalServerError, "internal", "Internal error", "Internal error")
    {
    }

    /// <summary>Creates an unspecified error with a message.</summary>
    /// <param name="message">The message.</param>
    public HubApiException(string message)
        : this(StatusCodes.Status500InternalServerError, "internal", "Internal error", message)
    {
    }

    /// <summary>Creates an unspecified error with a message and cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HubApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = StatusCodes.Status500InternalServerError;
        Kind = "internal";
        Title = "Internal error";
    }

    /// <summary>HTTP status.</summary>
    public int Status { get; }

    /// <summary>Problem kind.</summary>
    public string Kind { get; }

    /// <summary>Summary of the kind.</summary>
    public string Title { get; }

    /// <summary>The offending field.</summary>
    public string? Field { get; }

    /// <summary>400 for a field.</summary>
    /// <param name="field">The field.</param>
    /// <param name="detail">What is wrong with it.</param>
    /// <returns>The error.</returns>
    public static HubApiException Invalid(string field, string detail) =>
        new(StatusCodes.Status400BadRequest, "validation", "Invalid request", $"{field}: {detail}", field);

    /// <summary>404 for a route value.</summary>
    /// <param name="field">The route value's name.</param>
    /// <param name="detail">What was not found.</param>
    /// <returns>The error.</returns>
    public static HubApiException NotFound(string field, string detail) =>
        new(StatusCodes.Status404NotFound, "not-found", "Not found", detail, field);

    /// <summary>403.</summary>
    /// <param name="detail">Why.</param>
    /// <returns>The error.</returns>
    public static HubApiException Forbidden(string detail) =>
        new(StatusCodes.Status403Forbidden, "forbidden", "Forbidden", detail);

    /// <summary>413.</summary>
    /// <param name="field">The field or body part that is too large.</param>
    /// <param name="detail">The limit.</param>
    /// <returns>The error.</returns>
    public static HubApiException TooLarge(string field, string detail) =>
        new(StatusCodes.Status413PayloadTooLarge, "too-large", "Request too large", detail, field);

    /// <summary>415.</summary>
    /// <param name="detail">What is expected.</param>
    /// <returns>The error.</returns>
    public static HubApiException UnsupportedMediaType(string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type", detail, "Content-Type");

    /// <summary>409.</summary>
    /// <param name="field">The field in conflict.</param>
    /// <param name="detail">Why.</param>
    /// <returns>The error.</returns>
    public static HubApiException Conflict(string field, string detail) =>
        new(StatusCodes.Status409Conflict, "conflict", "Conflict", detail, field);
}
