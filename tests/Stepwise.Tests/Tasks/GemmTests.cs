using Stepwise.Tasks;

namespace Stepwise.Tests.Tasks;

public class GemmTests
{
    private static float[] RandomMatrix(int count, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var m = new float[count];
        for (int i = 0; i < count; i++)
        {
            m[i] = (rng.NextFloat() * 2) - 1;
        }

        return m;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(4, 16, 16)]
    [InlineData(9, 300, 33)]
    [InlineData(32, 784, 128)]
    [InlineData(37, 70, 6)]
    public void Multiply_matches_a_naive_double_precision_product(int m, int k, int n)
    {
        var a = RandomMatrix(m * k, 1);
        var b = RandomMatrix(k * n, 2);
        var c = new float[m * n];
        Gemm.Multiply(a, b, c, m, k, n, accumulate: false);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double expected = 0;
                for (int p = 0; p < k; p++)
                {
                    expected += (double)a[(i * k) + p] * b[(p * n) + j];
                }

                Assert.True(Math.Abs(expected - c[(i * n) + j]) < 1e-4 * Math.Max(1, k / 10.0), $"C[{i},{j}] = {c[(i * n) + j]}, expected {expected}");
            }
        }
    }

    [Fact]
    public void Multiply_with_accumulate_adds_to_the_existing_values()
    {
        var a = RandomMatrix(5 * 20, 3);
        var b = RandomMatrix(20 * 17, 4);
        var once = new float[5 * 17];
        Gemm.Multiply(a, b, once, 5, 20, 17, accumulate: false);
        var twice = (float[])once.Clone();
        Gemm.Multiply(a, b, twice, 5, 20, 17, accumulate: true);
        for (int i = 0; i < once.Length; i++)
        {
            Assert.Equal(once[i] * 2, twice[i], 1e-5f);
        }
    }

    [Fact]
    public void Multiply_gives_bit_identical_results_for_one_and_several_threads()
    {
        const int M = 67, K = 784, N = 130;
        var a = RandomMatrix(M * K, 5);
        var b = RandomMatrix(K * N, 6);
        var single = new float[M * N];
        var multi = new float[M * N];
        Gemm.Multiply(a, b, single, M, K, N, accumulate: false, threads: 1);
        Gemm.Multiply(a, b, multi, M, K, N, accumulate: false, threads: 3);
        Assert.Equal(single, multi);
    }

    [Fact]
    public void Transpose_swaps_rows_and_columns()
    {
        var src = new float[] { 1, 2, 3, 4, 5, 6 };
        var dst = new float[6];
        Gemm.Transpose(src, 2, 3, dst);
        Assert.Equal(new float[] { 1, 4, 2, 5, 3, 6 }, dst);
    }
}
