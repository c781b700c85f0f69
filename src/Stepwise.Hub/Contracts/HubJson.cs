using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stepwise.Hub.Contracts;

/// <summary>The JSON settings shared by the Hub server and its clients.</summary>
public static class HubJson
{
    /// <summary>Web defaults (camelCase, case-insensitive reads), nulls omitted, numbers strict.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
