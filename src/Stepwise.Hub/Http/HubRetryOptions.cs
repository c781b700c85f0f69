namespace Stepwise.Hub.Http;

/// <summary>
/// How one kind of Hub request is retried: a timeout per attempt, exponential backoff with jitter
/// between attempts, and a total time after which the request gives up.
/// </summary>
/// <remarks>
/// Retried: timeouts, connection errors, 408, 429 (waiting for its <c>Retry-After</c>) and 5xx.
/// Every other 4xx fails at once with the server's problem details in the message.
/// </remarks>
public sealed record HubRetryOptions
{
    /// <summary>Longest wait for one attempt (headers and body), default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, default 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>Backoff before the first retry; it doubles for each further retry (with jitter), default 1 s.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest backoff between two attempts, also the cap for a server's <c>Retry-After</c>, default 60 s.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Total time for all attempts and waits, default 2 min.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Checks the values.</summary>
    /// <param name="name">Which option set, for the message.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate(string name)
    {
        if (AttemptTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, AttemptTimeout, $"{name}.{nameof(AttemptTimeout)} must be positive.");
        }

        if (MaxRetries is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(name, MaxRetries, $"{name}.{nameof(MaxRetries)} must be between 0 and 100.");
        }

        if (BaseDelay <= TimeSpan.Zero || MaxDelay < BaseDelay)
        {
            throw new ArgumentOutOfRangeException(name, BaseDelay, $"{name}.{nameof(BaseDelay)} must be positive and not above {nameof(MaxDelay)}.");
        }

        if (TotalTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, TotalTimeout, $"{name}.{nameof(TotalTimeout)} must be positive.");
        }
    }
}
