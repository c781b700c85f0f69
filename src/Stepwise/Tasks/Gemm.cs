using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Stepwise.Tasks;

/// <summary>
/// Blocked, SIMD matrix multiply for row-major float matrices: <c>C[m×n] (+)= A[m×k] · B[k×n]</c>.
/// </summary>
/// <remarks>
/// Every element of C is accumulated over k in increasing order with the same fused (or unfused)
/// multiply-add whatever the blocking or the thread split, so results are bit-identical for any
/// thread count. Threads split C by rows; no element is shared between threads.
/// </remarks>
internal static class Gemm
{
    /// <summary>Rows of A kept hot while a K-panel of B streams through the cache.</summary>
    private const int KBlock = 256;
    private const int RowBlock = 4;

    /// <summary>Multiplies A·B into C (overwriting unless <paramref name="accumulate"/>).</summary>
    public static void Multiply(float[] a, float[] b, float[] c, int m, int k, int n, bool accumulate, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(c);
        if (a.Length < m * k || b.Length < k * n || c.Length < m * n)
        {
            throw new ArgumentException($"Matrix buffers too small for {m}x{k} · {k}x{n}.");
        }

        // Small problems are not worth a thread hand-off.
        long work = (long)m * k * n;
        if (threads <= 1 || m < 2 * RowBlock || work < 200_000)
        {
            MultiplyRows(a, b, c, 0, m, k, n, accumulate);
            return;
        }

        int parts = Math.Min(threads, m / RowBlock);
        int rowsPerPart = (m + parts - 1) / parts;
        rowsPerPart = (rowsPerPart + RowBlock - 1) / RowBlock * RowBlock;
        Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
        {
            int r0 = p * rowsPerPart;
            int r1 = Math.Min(m, r0 + rowsPerPart);
            if (r0 < r1)
            {
                MultiplyRows(a, b, c, r0, r1, k, n, accumulate);
            }
        });
    }

    /// <summary>Writes the transpose of <paramref name="src"/> (rows×cols) into <paramref name="dst"/> (cols×rows).</summary>
    public static void Transpose(float[] src, int rows, int cols, float[] dst)
    {
        const int Tile = 32;
        for (int i0 = 0; i0 < rows; i0 += Tile)
        {
            int i1 = Math.Min(rows, i0 + Tile);
            for (int j0 = 0; j0 < cols; j0 += Tile)
            {
                int j1 = Math.Min(cols, j0 + Tile);
                for (int i = i0; i < i1; i++)
                {
                    int srcRow = i * cols;
                    for (int j = j0; j < j1; j++)
                    {
                        dst[(j * rows) + i] = src[srcRow + j];
                    }
                }
            }
        }
    }

    /// <summary>The scalar multiply-add used for tails; matches the vector lanes bit for bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float MulAdd(float x, float y, float acc) => Fma.IsSupported ? MathF.FusedMultiplyAdd(x, y, acc) : (x * y) + acc;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MulAdd(Vector256<float> x, Vector256<float> y, Vector256<float> acc) =>
        Fma.IsSupported ? Fma.MultiplyAdd(x, y, acc) : (x * y) + acc;

    private static void MultiplyRows(float[] a, float[] b, float[] c, int r0, int r1, int k, int n, bool accumulate)
    {
        if (!accumulate)
        {
            Array.Clear(c, r0 * n, (r1 - r0) * n);
        }

        bool vector = Vector256.IsHardwareAccelerated;
        int nVec = vector ? n / 16 * 16 : 0;
        for (int k0 = 0; k0 < k; k0 += KBlock)
        {
            int k1 = Math.Min(k, k0 + KBlock);
            int i = r0;
            for (; i + RowBlock <= r1; i += RowBlock)
            {
                for (int j = 0; j < nVec; j += 16)
                {
                    Kernel4x16(a, b, c, i, j, k0, k1, k, n);
                }

                for (int r = i; r < i + RowBlock; r++)
                {
                    ScalarTail(a, b, c, r, nVec, n, k0, k1, k);
                }
            }

            for (; i < r1; i++)
            {
                for (int j = 0; j < nVec; j += 16)
                {
                    Kernel1x16(a, b, c, i, j, k0, k1, k, n);
                }

                ScalarTail(a, b, c, i, nVec, n, k0, k1, k);
            }
        }
    }

    private static void Kernel4x16(float[] a, float[] b, float[] c, int i, int j, int k0, int k1, int k, int n)
    {
        ref float aRef = ref MemoryMarshal.GetArrayDataReference(a);
        ref float bRef = ref MemoryMarshal.GetArrayDataReference(b);
        ref float cRef = ref MemoryMarshal.GetArrayDataReference(c);
        nuint c0 = (nuint)((i * n) + j);
        nuint c1 = c0 + (nuint)n;
        nuint c2 = c1 + (nuint)n;
        nuint c3 = c2 + (nuint)n;
        var acc00 = Vector256.LoadUnsafe(ref cRef, c0);
        var acc01 = Vector256.LoadUnsafe(ref cRef, c0 + 8);
        var acc10 = Vector256.LoadUnsafe(ref cRef, c1);
        var acc11 = Vector256.LoadUnsafe(ref cRef, c1 + 8);
        var acc20 = Vector256.LoadUnsafe(ref cRef, c2);
        var acc21 = Vector256.LoadUnsafe(ref cRef, c2 + 8);
        var acc30 = Vector256.LoadUnsafe(ref cRef, c3);
        var acc31 = Vector256.LoadUnsafe(ref cRef, c3 + 8);
        nuint a0 = (nuint)(i * k);
        nuint a1 = a0 + (nuint)k;
        nuint a2 = a1 + (nuint)k;
        nuint a3 = a2 + (nuint)k;
        for (int p = k0; p < k1; p++)
        {
            nuint bo = (nuint)((p * n) + j);
            var b0 = Vector256.LoadUnsafe(ref bRef, bo);
            var b1 = Vector256.LoadUnsafe(ref bRef, bo + 8);
            nuint up = (nuint)p;
            var x = Vector256.Create(Unsafe.Add(ref aRef, a0 + up));
            acc00 = MulAdd(x, b0, acc00);
            acc01 = MulAdd(x, b1, acc01);
            x = Vector256.Create(Unsafe.Add(ref aRef, a1 + up));
            acc10 = MulAdd(x, b0, acc10);
            acc11 = MulAdd(x, b1, acc11);
            x = Vector256.Create(Unsafe.Add(ref aRef, a2 + up));
            acc20 = MulAdd(x, b0, acc20);
            acc21 = MulAdd(x, b1, acc21);
            x = Vector256.Create(Unsafe.Add(ref aRef, a3 + up));
            acc30 = MulAdd(x, b0, acc30);
            acc31 = MulAdd(x, b1, acc31);
        }

        acc00.StoreUnsafe(ref cRef, c0);
        acc01.StoreUnsafe(ref cRef, c0 + 8);
        acc10.StoreUnsafe(ref cRef, c1);
        acc11.StoreUnsafe(ref cRef, c1 + 8);
        acc20.StoreUnsafe(ref cRef, c2);
        acc21.StoreUnsafe(ref cRef, c2 + 8);
        acc30.StoreUnsafe(ref cRef, c3);
        acc31.StoreUnsafe(ref cRef, c3 + 8);
    }

    private static void Kernel1x16(float[] a, float[] b, float[] c, int i, int j, int k0, int k1, int k, int n)
    {
        ref float aRef = ref MemoryMarshal.GetArrayDataReference(a);
        ref float bRef = ref MemoryMarshal.GetArrayDataReference(b);
        ref float cRef = ref MemoryMarshal.GetArrayDataReference(c);
        nuint c0 = (nuint)((i * n) + j);
        var acc0 = Vector256.LoadUnsafe(ref cRef, c0);
        var acc1 = Vector256.LoadUnsafe(ref cRef, c0 + 8);
        nuint a0 = (nuint)(i * k);
        for (int p = k0; p < k1; p++)
        {
            nuint bo = (nuint)((p * n) + j);
            var x = Vector256.Create(Unsafe.Add(ref aRef, a0 + (nuint)p));
            acc0 = MulAdd(x, Vector256.LoadUnsafe(ref bRef, bo), acc0);
            acc1 = MulAdd(x, Vector256.LoadUnsafe(ref bRef, bo + 8), acc1);
        }

        acc0.StoreUnsafe(ref cRef, c0);
        acc1.StoreUnsafe(ref cRef, c0 + 8);
    }

    private static void ScalarTail(float[] a, float[] b, float[] c, int i, int j0, int n, int k0, int k1, int k)
    {
        if (j0 >= n)
        {
            return;
        }

        int aRow = i * k;
        int cRow = i * n;
        for (int j = j0; j < n; j++)
        {
            float acc = c[cRow + j];
            for (int p = k0; p < k1; p++)
            {
                acc = MulAdd(a[aRow + p], b[(p * n) + j], acc);
            }

            c[cRow + j] = acc;
        }
    }
}
