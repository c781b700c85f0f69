namespace Stepwise.TensorBoard.Tests.Support;

/// <summary>numpy's legacy <c>RandomState(seed).normal()</c>: MT19937 seeded by init_genrand and the polar Box-Muller method.</summary>
internal sealed class NumpyRandom
{
    private readonly uint[] _mt = new uint[624];
    private int _index;
    private double? _gauss;

    public NumpyRandom(uint seed)
    {
        _mt[0] = seed;
        for (int i = 1; i < 624; i++)
        {
            _mt[i] = (uint)((1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30))) + (uint)i);
        }

        _index = 624;
    }

    public double[] Normal(int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = Gauss();
        }

        return values;
    }

    private double Gauss()
    {
        if (_gauss is { } cached)
        {
            _gauss = null;
            return cached;
        }

        double x1, x2, r2;
        do
        {
            x1 = (2.0 * NextDouble()) - 1.0;
            x2 = (2.0 * NextDouble()) - 1.0;
            r2 = (x1 * x1) + (x2 * x2);
        }
        while (r2 >= 1.0 || r2 == 0.0);

        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        return f * x2;
    }

    private double NextDouble()
    {
        uint a = Next() >> 5;
        uint b = Next() >> 6;
        return ((a * 67108864.0) + b) / 9007199254740992.0;
    }

    private uint Next()
    {
        if (_index >= 624)
        {
            for (int k = 0; k < 624; k++)
            {
                uint y = (_mt[k] & 0x80000000u) | (_mt[(k + 1) % 624] & 0x7fffffffu);
                _mt[k] = _mt[(k + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0u);
            }

            _index = 0;
        }

        uint v = _mt[_index++];
        v ^= v >> 11;
        v ^= (v << 7) & 0x9d2c5680u;
        v ^= (v << 15) & 0xefc60000u;
        v ^= v >> 18;
        return v;
    }
}
