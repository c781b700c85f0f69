using System.Text.Json;

namespace Stepwise.Hub.Server.Tests.Interop;

/// <summary>The recorded Ultralytics HUB requests of the golden wire log, per scenario.</summary>
public static class HubRequestLog
{
    /// <summary>One recorded request.</summary>
    public sealed record Request(int Seq, double Arrival, string Method, string Path, JsonElement Body, int Status, JsonElement? Response);

    /// <summary>The requests of a scenario in arrival order (the log lists them by completion).</summary>
    public static IReadOnlyList<Request> Scenario(string name)
    {
        var lines = File.ReadAllLines(InteropGolden.Path("ultralytics", "hub_requests.log"));
        var requests = new List<Request>();
        string? current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("## SCENARIO ", StringComparison.Ordinal))
            {
                current = line["## SCENARIO ".Length..].Split(':')[0];
            }
            else if (current == name && line.StartsWith("{\"seq\"", StringComparison.Ordinal))
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var response = root.GetProperty("response");
                requests.Add(new Request(
                    root.GetProperty("seq").GetInt32(),
                    root.GetProperty("t").GetDouble(),
                    root.GetProperty("method").GetString()!,
                    root.GetProperty("path").GetString()!,
                    root.GetProperty("body").Clone(),
                    response.GetProperty("status").GetInt32(),
                    response.TryGetProperty("json", out var json) ? json.Clone() : null));
            }
        }

        if (requests.Count == 0)
        {
            throw new InvalidDataException($"No requests recorded for scenario '{name}'.");
        }

        return [.. requests.OrderBy(r => r.Arrival).ThenBy(r => r.Seq)];
    }
}
