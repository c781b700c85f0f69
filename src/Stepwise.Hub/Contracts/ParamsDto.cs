using System.Text.Json;

namespace Stepwise.Hub.Contracts;

/// <summary>A run's params (hyper-parameters and other settings).</summary>
/// <param name="Params">Name to any JSON value.</param>
public sealed record ParamsDto(IReadOnlyDictionary<string, JsonElement> Params);
