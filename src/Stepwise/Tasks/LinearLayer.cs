using System.Numerics.Tensors;

namespace Stepwise.Tasks;

/// <summary>Fully connected layer, weight stored <c>[out, in]</c> like PyTorch so checkpoints interchange.</summary>
internal sealed class LinearLayer
{
    private readonly float[] _weightT;
    private int _transposedVersion = -1;

    public LinearLayer(string name, int inputs, int outputs, DeterministicRandom rng)
    {
        Name = name;
        In = inputs;
        Out = outputs;
        Weight = new float[inputs * outputs];
        Bias = new float[outputs];
        _weightT = new float[inputs * outputs];
        // He-uniform: keeps ReLU activations' variance stable across layers.
        float bound = MathF.Sqrt(6f / inputs);
        for (int i = 0; i < Weight.Length; i++)
        {
            Weight[i] = ((rng.NextFloat() * 2f) - 1f) * bound;
        }
    }

    public string Name { get; }

    public int In { get; }

    public int Out { get; }

    public float[] Weight { get; }

    public float[] Bias { get; }

    public float[] WeightGrad { get; set; } = [];

    public float[] BiasGrad { get; set; } = [];

    /// <summary>Z[b×out] = X[b×in] · Wᵀ + bias.</summary>
    public void Forward(float[] x, int batch, float[] z, int version, int threads)
    {
        if (_transposedVersion != version)
        {
            Gemm.Transpose(Weight, Out, In, _weightT);
            _transposedVersion = version;
        }

        Gemm.Multiply(x, _weightT, z, batch, In, Out, accumulate: false, threads);
        var bias = Bias.AsSpan();
        for (int b = 0; b < batch; b++)
        {
            var row = z.AsSpan(b * Out, Out);
            TensorPrimitives.Add(row, bias, row);
        }
    }

    /// <summary>Gradients: dW = dZᵀ·X, db = Σ dZ rows (in row order), dX = dZ·W when requested.</summary>
    public void Backward(float[] x, float[] dz, int batch, float[] dzT, float[]? dx, int threads)
    {
        Gemm.Transpose(dz, batch, Out, dzT);
        Gemm.Multiply(dzT, x, WeightGrad, Out, batch, In, accumulate: false, threads);
        var db = BiasGrad.AsSpan();
        db.Clear();
        for (int b = 0; b < batch; b++)
        {
            TensorPrimitives.Add(db, dz.AsSpan(b * Out, Out), db);
        }

        if (dx is not null)
        {
            Gemm.Multiply(dz, Weight, dx, batch, Out, In, accumulate: false, threads);
        }
    }
}
