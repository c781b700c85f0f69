using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Stepwise.Hub.Server.Tests.Interop;

/// <summary>Sends Studio live-metrics bodies the way the reference client does.</summary>
public static class StudioClient
{
    /// <summary>The golden Studio events in the order they were sent: (file name, request path, body text).</summary>
    public static IReadOnlyList<(string File, string Path, string Body)> GoldenEvents()
    {
        var dir = InteropGolden.Path("dvclive", "studio", "output", "studio_events");
        var events = new List<(string, string, string)>();
        foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var root = document.RootElement;
            events.Add((System.IO.Path.GetFileName(file), root.GetProperty("path").GetString()!, root.GetProperty("body").GetRawText()));
        }

        return events;
    }

    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string body, string path = "/api/live")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        return await client.SendAsync(request);
    }
}
