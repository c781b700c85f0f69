namespace Stepwise.Tasks;

/// <summary>
/// A tiny, fully specified pseudo-random generator (SplitMix64), so generated data and holdout
/// splits are identical on every runtime version and platform for the same seed.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed)
    {
        _state = seed;
    }

    /// <summary>Mixes several integers into one well-spread seed.</summary>
    public static ulong Mix(long a, long b, long c)
    {
        var g = new SplitMix64((ulong)a);
        ulong x = g.NextUInt64() ^ (ulong)b;
        g = new SplitMix64(x);
        x = g.NextUInt64() ^ (ulong)c;
        g = new SplitMix64(x);
        return g.NextUInt64();
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform integer in [0, count).</summary>
    public int NextInt(int count) => (int)((NextUInt64() >> 33) % (ulong)count);

    /// <summary>Standard normal sample (Box-Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
