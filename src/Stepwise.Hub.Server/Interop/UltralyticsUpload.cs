using System.Globalization;
using Stepwise.Hub.Server.Api;

namespace Stepwise.Hub.Server.Interop;

/// <summary>The form fields of an Ultralytics HUB weights upload, checked.</summary>
/// <param name="Epoch">The epoch the file belongs to.</param>
/// <param name="Final">True for the end-of-training upload (<c>type=final</c>).</param>
/// <param name="IsBest">True when the epoch's weights are the best so far.</param>
/// <param name="Map">The final mAP50-95, when sent.</param>
internal sealed record UltralyticsUpload(int Epoch, bool Final, bool IsBest, double? Map)
{
    /// <summary>Checks the fields that preceded the file part.</summary>
    /// <param name="fields">Name → value.</param>
    /// <returns>The upload.</returns>
    /// <exception cref="HubApiException">400 naming the field.</exception>
    public static UltralyticsUpload Parse(IReadOnlyDictionary<string, string> fields)
    {
        if (!fields.TryGetValue("epoch", out var epochText))
        {
            throw HubApiException.Invalid("epoch", "is required before the file part");
        }

        if (!int.TryParse(epochText, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch))
        {
            throw HubApiException.Invalid("epoch", "must be a whole number 0 or more");
        }

        var final = fields.GetValueOrDefault("type") switch
        {
            "epoch" => false,
            "final" => true,
            null => throw HubApiException.Invalid("type", "is required (epoch or final)"),
            _ => throw HubApiException.Invalid("type", "must be epoch or final"),
        };
        var isBest = fields.GetValueOrDefault("isBest") switch
        {
            null => false,
            var text when bool.TryParse(text, out var value) => value,
            _ => throw HubApiException.Invalid("isBest", "must be True or False"),
        };
        double? map = null;
        if (fields.TryGetValue("map", out var mapText))
        {
            map = double.TryParse(mapText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
                ? value
                : throw HubApiException.Invalid("map", "must be a finite number");
        }

        return new UltralyticsUpload(epoch, final, isBest, map);
    }
}
