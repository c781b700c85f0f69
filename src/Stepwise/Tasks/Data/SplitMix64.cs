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

    /// <summary>
    /// Approximately standard normal: the sum of four 16-bit uniforms from one draw, centred and scaled
    /// to unit variance. Much cheaper than Box-Muller and plenty for pixel noise.
    /// </summary>
    public double NextApproxGaussian()
    {
        ulong bits = NextUInt64();
        long sum = (long)(bits & 0xFFFF) + (long)((bits >> 16) & 0xFFFF) + (long)((bits >> 32) & 0xFFFF) + (long)(bits >> 48);

        // Four uniforms on [0, 1) have mean 2 and variance 1/3.
        return ((sum / 65536.0) - 2.0) * 1.7320508075688772;
    }

    /// <summary>Standard normal sample (Box-Muller).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
