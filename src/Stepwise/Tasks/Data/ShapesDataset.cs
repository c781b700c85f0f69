namespace Stepwise.Tasks;

/// <summary>
/// The built-in dataset: gray images of six simple shapes (circle, square, triangle, cross, ring,
/// line) drawn with random position, size, rotation, brightness and pixel noise. Generated in code,
/// identical for the same arguments, so nothing is downloaded.
/// </summary>
public static class ShapesDataset
{
    /// <summary>Class names in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = ["circle", "square", "triangle", "cross", "ring", "line"];

    /// <summary>Generates the dataset. Samples cycle through the classes (sample i has label i mod 6).</summary>
    /// <param name="seed">Seed; the same seed gives the same pixels.</param>
    /// <param name="size">Image side in pixels (8 or more).</param>
    /// <param name="trainPerClass">Training images per class (at least 1).</param>
    /// <param name="valPerClass">Validation images per class (at least 1).</param>
    /// <returns>The dataset, with <see cref="ClassificationData.Source"/> "shapes:&lt;seed&gt;".</returns>
    public static ClassificationData Generate(int seed = 0, int size = 28, int trainPerClass = 500, int valPerClass = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainPerClass, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(valPerClass, 1);
        var train = GenerateSplit(seed, 0, size, trainPerClass);
        var val = GenerateSplit(seed, 1, size, valPerClass);
        return new ClassificationData(ClassNames, train, val, $"shapes:{seed}");
    }

    private static DataSplit GenerateSplit(int seed, int split, int size, int perClass)
    {
        int classes = ClassNames.Count;
        int count = checked(classes * perClass);
        int pixels = size * size;
        var features = new float[checked(count * pixels)];
        var labels = new int[count];

        // Each sample has its own generator derived from (seed, split, index), so samples are
        // independent of each other and can be drawn in parallel without changing any pixel.
        Parallel.For(0, count, i =>
        {
            labels[i] = i % classes;
            var random = new SplitMix64(SplitMix64.Mix(seed, split, i));
            Draw(labels[i], size, ref random, features.AsSpan(i * pixels, pixels));
        });

        return new DataSplit(features, labels, pixels, size, size);
    }

    private static void Draw(int shape, int size, ref SplitMix64 random, Span<float> output)
    {
        double centreX = (size * 0.5) + (size * random.Uniform(-0.08, 0.08));
        double centreY = (size * 0.5) + (size * random.Uniform(-0.08, 0.08));
        double radius = size * random.Uniform(0.29, 0.34);
        double angle = random.Uniform(0, 2 * Math.PI);
        double foreground = random.Uniform(0.7, 1.0);
        double background = random.Uniform(0.0, 0.15);
        double noise = random.Uniform(0.02, 0.08);
        double cos = Math.Cos(angle);
        double sin = Math.Sin(angle);
        const int Sub = 2;
        for (int y = 0; y < size; y++)
        {
            for (int x = 0; x < size; x++)
            {
                // Supersample 2x2 points per pixel for smooth edges.
                int hits = 0;
                for (int sy = 0; sy < Sub; sy++)
                {
                    for (int sx = 0; sx < Sub; sx++)
                    {
                        double px = x + ((sx + 0.5) / Sub) - centreX;
                        double py = y + ((sy + 0.5) / Sub) - centreY;
                        double u = ((px * cos) + (py * sin)) / radius;
                        double v = ((-px * sin) + (py * cos)) / radius;
                        if (Inside(shape, u, v))
                        {
                            hits++;
                        }
                    }
                }

                double coverage = hits / (double)(Sub * Sub);
                double value = background + ((foreground - background) * coverage) + (noise * random.NextApproxGaussian());
                int quantised = Math.Clamp((int)Math.Round(value * 255), 0, 255);

                // Stored as bytes / 255 so the features equal what a saved PNG of the sample decodes to.
                output[(y * size) + x] = quantised / 255f;
            }
        }
    }

    private static bool Inside(int shape, double u, double v)
    {
        switch (shape)
        {
            case 0: // circle, kept smaller than the square's inscribed circle so the two never look alike
                return (u * u) + (v * v) <= 0.85 * 0.85;
            case 1: // square
                return Math.Abs(u) <= 1.0 && Math.Abs(v) <= 1.0;
            case 2: // equilateral triangle with circumradius 1.1
                const double InRadius = 0.55;
                return -v <= InRadius
                    && ((u * 0.8660254037844386) + (v * 0.5)) <= InRadius
                    && ((-u * 0.8660254037844386) + (v * 0.5)) <= InRadius;
            case 3: // cross
                return (Math.Abs(u) <= 0.25 && Math.Abs(v) <= 1.0) || (Math.Abs(v) <= 0.25 && Math.Abs(u) <= 1.0);
            case 4: // ring
                double r2 = (u * u) + (v * v);
                return r2 <= 1.0 && r2 >= 0.36;
            default: // line
                return Math.Abs(v) <= 0.18 && Math.Abs(u) <= 1.1;
        }
    }
}
