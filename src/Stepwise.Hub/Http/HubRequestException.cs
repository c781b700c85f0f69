using System.Net;

namespace Stepwise.Hub.Http;

/// <summary>
/// A Hub request that failed for good: either the server rejected it (a 4xx other than 408/429, see
/// <see cref="IsTransient"/> false, the message carries the server's problem details) or every retry
/// failed or the request ran out of time (<see cref="IsTransient"/> true: worth sending again later).
/// </summary>
public sealed class HubRequestException : Exception
{
    /// <summary>Creates the exception.</summary>
    public HubRequestException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public HubRequestException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public HubRequestException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a request.</summary>
    /// <param name="message">The message (request, status, server's detail).</param>
    /// <param name="statusCode">The last HTTP status, null when no response arrived.</param>
    /// <param name="isTransient">True when sending the same request later may succeed.</param>
    /// <param name="field">The offending field named by the server's problem details, if any.</param>
    /// <param name="innerException">The cause.</param>
    public HubRequestException(string message, HttpStatusCode? statusCode, bool isTransient, string? field = null, Exception? innerException = null)
        : base(message, innerException)
    {
        StatusCode = statusCode;
        IsTransient = isTransient;
        Field = field;
    }

    /// <summary>The last HTTP status, null when no response arrived (timeout, connection error).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>True when the failure is temporary (server down, overloaded, slow): the request may be sent again later.</summary>
    public bool IsTransient { get; }

    /// <summary>The offending request field according to the server, if it named one.</summary>
    public string? Field { get; }

    /// <summary>True for 401/403: the API key is missing, wrong, revoked or lacks the scope.</summary>
    public bool IsAuthFailure => StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
}
