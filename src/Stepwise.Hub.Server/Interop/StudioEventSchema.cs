using System.Text.Json;
using Stepwise.Hub.Server.Api;

namespace Stepwise.Hub.Server.Interop;

/// <summary>
/// The schema DVC Studio clients validate their live-metrics bodies against, enforced on the server:
/// required keys, value types, the commit-sha format, exclusive <c>data</c>/<c>image</c> per plot, and no
/// unknown keys. A violation is a 400 naming the field (<c>plots.dvclive/plots/metrics/loss.tsv.data</c>).
/// </summary>
internal static class StudioEventSchema
{
    private static readonly string[] Types = ["start", "done", "data"];

    private static readonly HashSet<string> BaseKeys = new(StringComparer.Ordinal)
    {
        "type", "repo_url", "baseline_sha", "name", "env", "client", "errors", "params", "metrics", "machine", "message", "subdir",
    };

    /// <summary>Checks a body and returns its event type.</summary>
    /// <param name="root">The parsed body.</param>
    /// <returns><c>start</c>, <c>data</c> or <c>done</c>.</returns>
    /// <exception cref="HubApiException">400 naming the first offending field.</exception>
    public static string Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw HubApiException.Invalid("body", "expected a JSON object");
        }

        var type = Required(root, "type");
        if (type.ValueKind != JsonValueKind.String || !Types.Contains(type.GetString(), StringComparer.Ordinal))
        {
            throw HubApiException.Invalid("type", "expected one of start, done, data");
        }

        var kind = type.GetString()!;
        String(Required(root, "repo_url"), "repo_url");
        Sha(Required(root, "baseline_sha"), "baseline_sha");
        foreach (var property in root.EnumerateObject())
        {
            var field = property.Name;
            var value = property.Value;
            switch (field)
            {
                case "type" or "repo_url" or "baseline_sha":
                    break;
                case "name" or "client" or "message" or "subdir":
                    String(value, field);
                    break;
                case "env" or "machine":
                    Object(value, field);
                    break;
                case "errors":
                    Array(value, field);
                    var i = 0;
                    foreach (var error in value.EnumerateArray())
                    {
                        Error(error, $"errors[{i++}]");
                    }

                    break;
                case "params":
                    Object(value, field);
                    foreach (var file in value.EnumerateObject())
                    {
                        Object(file.Value, $"params.{file.Name}");
                    }

                    break;
                case "metrics":
                    Metrics(value);
                    break;
                case "step" when kind == "data":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))
                    {
                        throw HubApiException.Invalid("step", "expected int");
                    }

                    break;
                case "plots" when kind == "data":
                    Plots(value);
                    break;
                case "experiment_rev" when kind == "done":
                    Sha(value, field);
                    break;
                default:
                    throw HubApiException.Invalid(field, BaseKeys.Contains(field) ? "unexpected value" : "extra keys not allowed");
            }
        }

        if (kind == "data")
        {
            Required(root, "step");
        }

        return kind;
    }

    private static JsonElement Required(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) ? value : throw HubApiException.Invalid(name, "required key not provided");

    private static void String(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw HubApiException.Invalid(field, "expected str");
        }
    }

    private static void Object(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw HubApiException.Invalid(field, "expected dict");
        }
    }

    private static void Array(JsonElement value, string field)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw HubApiException.Invalid(field, "expected list");
        }
    }

    private static void Sha(JsonElement value, string field)
    {
        // The reference lower-cases first, then matches ^[0-9a-h]{40}$.
        var text = value.ValueKind == JsonValueKind.String ? value.GetString()!.ToLowerInvariant() : null;
        if (text is not { Length: 40 } || !text.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'h')))
        {
            throw HubApiException.Invalid(field, "expected a length 40 commit sha");
        }
    }

    private static void Error(JsonElement value, string field)
    {
        Object(value, field);
        String(Required(value, "cls", field), field + ".cls");
        String(Required(value, "text", field), field + ".text");
        foreach (var property in value.EnumerateObject())
        {
            if (property.Name is not ("cls" or "text"))
            {
                throw HubApiException.Invalid($"{field}.{property.Name}", "extra keys not allowed");
            }
        }
    }

    private static JsonElement Required(JsonElement value, string name, string parent) =>
        value.TryGetProperty(name, out var child) ? child : throw HubApiException.Invalid($"{parent}.{name}", "required key not provided");

    private static void Metrics(JsonElement value)
    {
        Object(value, "metrics");
        foreach (var file in value.EnumerateObject())
        {
            var field = $"metrics.{file.Name}";
            Object(file.Value, field);
            foreach (var property in file.Value.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "data":
                        Object(property.Value, field + ".data");
                        break;
                    case "error":
                        Error(property.Value, field + ".error");
                        break;
                    default:
                        throw HubApiException.Invalid($"{field}.{property.Name}", "extra keys not allowed");
                }
            }
        }
    }

    private static void Plots(JsonElement value)
    {
        Object(value, "plots");
        foreach (var file in value.EnumerateObject())
        {
            var field = $"plots.{file.Name}";
            Object(file.Value, field);
            var hasData = false;
            var hasImage = false;
            foreach (var property in file.Value.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "data":
                        Array(property.Value, field + ".data");
                        var i = 0;
                        foreach (var row in property.Value.EnumerateArray())
                        {
                            Object(row, $"{field}.data[{i++}]");
                        }

                        hasData = true;
                        break;
                    case "image":
                        String(property.Value, field + ".image");
                        hasImage = true;
                        break;
                    case "props":
                        Object(property.Value, field + ".props");
                        break;
                    case "error":
                        Error(property.Value, field + ".error");
                        break;
                    default:
                        throw HubApiException.Invalid($"{field}.{property.Name}", "extra keys not allowed");
                }
            }

            if (hasData && hasImage)
            {
                throw HubApiException.Invalid(field, "two or more values in the same group of exclusion 'data'");
            }
        }
    }
}
