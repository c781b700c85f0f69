namespace Stepwise.Tests.Support;

/// <summary>A clock that never moves, so run outputs with times in them are reproducible.</summary>
internal sealed class FrozenTimeProvider : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;

    public override long GetTimestamp() => 0;
}
