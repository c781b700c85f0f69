using System.Net;
using System.Net.Http.Json;
using System.Text;
using Stepwise.Hub.Contracts;

namespace Stepwise.Hub.Server.Tests.Support;

/// <summary>Small HTTP helpers for the tests.</summary>
public static class Http
{
    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string path, T body) =>
        client.PostAsJsonAsync(path, body, HubJson.Options);

    public static Task<HttpResponseMessage> PostRawJsonAsync(this HttpClient client, string path, string json) =>
        client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(text, HubJson.Options)!;
    }

    /// <summary>Asserts a problem+json answer with the status (and field) and returns it.</summary>
    public static async Task<HubProblemDetails> ProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = System.Text.Json.JsonSerializer.Deserialize<HubProblemDetails>(text, HubJson.Options)!;
        Assert.Equal((int)status, problem.Status);
        Assert.StartsWith("https://stepwise.dev/problems/", problem.Type, StringComparison.Ordinal);
        if (field is not null)
        {
            Assert.Equal(field, problem.Field);
            Assert.NotNull(problem.Errors);
            Assert.True(problem.Errors!.ContainsKey(field));
        }

        return problem;
    }

    public static Task<HttpResponseMessage> PutAsJsonAsyncHub<T>(this HttpClient client, string path, T body) =>
        client.PutAsJsonAsync(path, body, HubJson.Options);
}
