using System.Text.Json;

namespace Stepwise.Cli.Modes;

/// <summary>One run read from a log directory, ready to upload to the Hub.</summary>
/// <param name="Name">The run's display name.</param>
/// <param name="Source">What wrote it: <c>dvclive</c> or <c>tensorboard</c>.</param>
/// <param name="Path">The folder it was read from (full path).</param>
internal sealed record ImportedRun(string Name, string Source, string Path)
{
    /// <summary>Params (name → JSON value).</summary>
    public Dictionary<string, JsonElement> Params { get; } = new(StringComparer.Ordinal);

    /// <summary>Finite metric values.</summary>
    public List<(string Name, long Step, double Value)> Values { get; } = [];

    /// <summary>Images: name, step and the file or encoded bytes.</summary>
    public List<(string Name, long Step, Func<byte[]> Content)> Images { get; } = [];

    /// <summary>The idempotency key: the same folder always maps to the same Hub run.</summary>
    public string ClientRunId => "import-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Source + "\n" + Path)))[..40];
}
