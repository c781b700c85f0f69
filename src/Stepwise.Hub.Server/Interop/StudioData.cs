namespace Stepwise.Hub.Server.Interop;

/// <summary>The checked content of a Studio <c>data</c> (or <c>done</c>) body, ready to store.</summary>
/// <param name="Step">The event's step.</param>
internal sealed record StudioData(long Step)
{
    /// <summary>Params (name, JSON text).</summary>
    public List<(string Name, string Value)> Params { get; } = [];

    /// <summary>Metric values from the summary and the plot rows.</summary>
    public List<(string Name, long Step, double Value)> Values { get; } = [];

    /// <summary>Images (name under <c>plots/images</c>, bytes).</summary>
    public List<(string Name, byte[] Content)> Images { get; } = [];

    /// <summary>True when there is nothing to store.</summary>
    public bool IsEmpty => Params.Count == 0 && Values.Count == 0 && Images.Count == 0;
}
