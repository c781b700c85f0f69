namespace Stepwise.Imaging;

/// <summary>An 8-bit RGB colour.</summary>
/// <param name="R">Red, 0..255.</param>
/// <param name="G">Green, 0..255.</param>
/// <param name="B">Blue, 0..255.</param>
public readonly record struct Rgb(byte R, byte G, byte B)
{
    /// <summary>Black (0, 0, 0).</summary>
    public static Rgb Black => new(0, 0, 0);

    /// <summary>White (255, 255, 255).</summary>
    public static Rgb White => new(255, 255, 255);

    /// <summary>Blends linearly from <paramref name="from"/> (t = 0) to <paramref name="to"/> (t = 1); t is clamped.</summary>
    /// <param name="from">Colour at t = 0.</param>
    /// <param name="to">Colour at t = 1.</param>
    /// <param name="t">Position between the two colours.</param>
    /// <returns>The blended colour, each channel rounded.</returns>
    public static Rgb Lerp(Rgb from, Rgb to, double t)
    {
        t = double.IsNaN(t) ? 0 : Math.Clamp(t, 0, 1);
        return new Rgb(Mix(from.R, to.R, t), Mix(from.G, to.G, t), Mix(from.B, to.B, t));
    }

    private static byte Mix(byte a, byte b, double t) => (byte)Math.Round(a + ((b - a) * t));
}
