using Stepwise.Imaging;

namespace Stepwise.Engine;

/// <summary>One input of a prediction source before it is read: a file to decode, an image, or a feature row.</summary>
internal sealed record PendingInput(string Source, int Index, string? File, RasterImage? Image, float[]? Features);
