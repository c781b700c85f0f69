namespace Stepwise.Hub.Tests.Support;

/// <summary>Waits (bounded, real time) for something a background loop does.</summary>
internal static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Gave up waiting for: " + what);
            }

            await Task.Yield();
            await Task.Delay(2);
        }
    }
}
