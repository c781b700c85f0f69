using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Stepwise.Hub.Server.Tests.Interop;

/// <summary>Sends requests shaped like the reference HUB client's (requests + hub-sdk) wire format.</summary>
public sealed class HubSdkClient(HttpClient http, string apiKey)
{
    /// <summary>Uploaded files are this many times smaller than the recorded ones (keeps the replay fast).</summary>
    public const int SizeDivisor = 64;

    public static byte[] FileContent(long recordedSize, int seed)
    {
        var bytes = new byte[Math.Max(16, recordedSize / SizeDivisor)];
        new Random(seed).NextBytes(bytes);
        // Checkpoints are zip archives: keep the recorded magic.
        bytes[0] = 0x50;
        bytes[1] = 0x4b;
        bytes[2] = 0x03;
        bytes[3] = 0x04;
        return bytes;
    }

    public static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("x-api-key", apiKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return ((int)response.StatusCode, document.RootElement.Clone());
    }

    public Task<(int Status, JsonElement Body)> PostJsonAsync(string path, string json) =>
        SendAsync(HttpMethod.Post, path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<(int Status, JsonElement Body)> PostEmptyAsync(string path) =>
        SendAsync(HttpMethod.Post, path, new ByteArrayContent([]));

    /// <summary>Multipart exactly as requests writes it: 32-hex boundary, only Content-Disposition per part.</summary>
    public Task<(int Status, JsonElement Body)> PostMultipartAsync(string path, IEnumerable<(string Name, string Value)> fields, string fileField, byte[] file)
    {
        var boundary = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        using var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var (name, value) in fields)
        {
            Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n");
        }

        Write($"--{boundary}\r\nContent-Disposition: form-data; name=\"{fileField}\"; filename=\"{fileField}\"\r\n\r\n");
        body.Write(file);
        Write($"\r\n--{boundary}--\r\n");
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");
        return SendAsync(HttpMethod.Post, path, content);
    }
}
