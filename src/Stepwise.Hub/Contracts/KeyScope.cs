using System.Text.Json.Serialization;

namespace Stepwise.Hub.Contracts;

/// <summary>What an API key may do.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KeyScope>))]
public enum KeyScope
{
    /// <summary>Read one project's runs.</summary>
    [JsonStringEnumMemberName("read")]
    Read,

    /// <summary>Read and write one project's runs.</summary>
    [JsonStringEnumMemberName("write")]
    Write,

    /// <summary>Everything, including keys and every project.</summary>
    [JsonStringEnumMemberName("admin")]
    Admin,
}
