using System.Numerics.Tensors;

namespace Stepwise.Tasks;

/// <summary>
/// Multilayer perceptron classifier: Flatten → (Linear → ReLU → Dropout)* → Linear → Softmax,
/// trained with softmax cross-entropy. Written with SIMD and a blocked matrix multiply.
/// </summary>
public sealed class MlpClassifier
{
    private readonly LinearLayer[] _linears;
    private readonly List<ParameterSlot> _slots = [];
    private readonly List<LayerInfo> _layers = [];
    private int _version;

    // Activations of the last forward pass, reused between batches of the same size.
    private int _batch = -1;
    private float[][] _z = [];
    private float[][] _act = [];
    private float[][] _mask = [];
    private float[][] _dAct = [];
    private float[] _probs = [];
    private float[] _dzT = [];

    /// <summary>Creates a model with weights drawn from a seeded He-uniform initialisation and zero biases.</summary>
    /// <param name="inputs">Features per sample (28×28 image → 784).</param>
    /// <param name="hidden">Hidden layer widths.</param>
    /// <param name="classes">Number of classes.</param>
    /// <param name="dropout">Dropout probability after each hidden ReLU (0 = none).</param>
    /// <param name="seed">Initialisation seed.</param>
    public MlpClassifier(int inputs, IReadOnlyList<int> hidden, int classes, double dropout = 0.0, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (dropout is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "dropout must be in [0, 1).");
        }

        InputCount = inputs;
        ClassCount = classes;
        HiddenSizes = [.. hidden];
        DropoutRate = dropout;
        var rng = new DeterministicRandom(DeterministicRandom.Derive(seed, 0x1417));
        _layers.Add(new LayerInfo("flatten", "Flatten", [inputs], [inputs], 0));
        var widths = new List<int> { inputs };
        widths.AddRange(hidden);
        widths.Add(classes);
        _linears = new LinearLayer[widths.Count - 1];
        for (int l = 0; l < _linears.Length; l++)
        {
            if (widths[l + 1] < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(hidden), "hidden sizes must be positive.");
            }

            var layer = new LinearLayer($"fc{l + 1}", widths[l], widths[l + 1], rng);
            _linears[l] = layer;
            _slots.Add(new ParameterSlot(layer.Name + ".weight", [layer.Out, layer.In], layer.Weight, ParameterGroupKind.WeightsWithDecay));
            _slots.Add(new ParameterSlot(layer.Name + ".bias", [layer.Out], layer.Bias, ParameterGroupKind.Biases));
            layer.WeightGrad = _slots[^2].Grad;
            layer.BiasGrad = _slots[^1].Grad;
            _layers.Add(new LayerInfo(layer.Name, "Linear", [layer.In], [layer.Out], ((long)layer.In * layer.Out) + layer.Out));
            if (l < _linears.Length - 1)
            {
                _layers.Add(new LayerInfo($"relu{l + 1}", "ReLU", [layer.Out], [layer.Out], 0));
                if (dropout > 0)
                {
                    _layers.Add(new LayerInfo($"dropout{l + 1}", "Dropout", [layer.Out], [layer.Out], 0));
                }
            }
        }

        _layers.Add(new LayerInfo("softmax", "Softmax", [classes], [classes], 0));
    }

    /// <summary>Features per sample.</summary>
    public int InputCount { get; }

    /// <summary>Number of output classes.</summary>
    public int ClassCount { get; }

    /// <summary>Hidden layer widths.</summary>
    public IReadOnlyList<int> HiddenSizes { get; }

    /// <summary>Dropout probability after each hidden activation.</summary>
    public double DropoutRate { get; }

    /// <summary>The layers in order, for graphs and the model summary.</summary>
    public IReadOnlyList<LayerInfo> Layers => _layers;

    /// <summary>Total trainable values.</summary>
    public long ParameterCount => _slots.Sum(s => (long)s.Data.Length);

    /// <summary>Floating-point operations of one forward pass for one sample (a multiply-add counts 2).</summary>
    public double FlopsPerSample => _linears.Sum(l => 2.0 * l.In * l.Out);

    /// <summary>Named parameter tensors (live buffers, PyTorch naming and shapes).</summary>
    public IReadOnlyList<NamedTensor> Parameters() => [.. _slots.Select(s => new NamedTensor(s.Name, s.Shape, s.Data))];

    internal IReadOnlyList<ParameterSlot> Slots => _slots;

    /// <summary>Signals that parameters were changed in place, so cached transposes are rebuilt.</summary>
    internal void MarkParametersChanged() => _version++;

    /// <summary>
    /// Forward and backward pass over one batch; gradients are overwritten. Returns the mean loss.
    /// </summary>
    internal double ForwardBackward(float[] x, int[] labels, int batch, DeterministicRandom? dropoutRng, int threads)
    {
        Forward(x, batch, dropoutRng, threads);
        double loss = SoftmaxCrossEntropy.LossAndGradient(_act[^1], labels, batch, ClassCount, _dAct[^1]);
        Backward(x, batch, threads);
        return loss;
    }

    /// <summary>Evaluation pass (no dropout): writes class probabilities (batch × classes) and returns the summed loss.</summary>
    internal double Evaluate(float[] x, int[] labels, int batch, float[] probabilities, int threads)
    {
        Forward(x, batch, null, threads);
        return SoftmaxCrossEntropy.Probabilities(_act[^1], labels, batch, ClassCount, probabilities);
    }

    /// <summary>Inference pass (no dropout): writes class probabilities (batch × classes).</summary>
    internal void Predict(float[] x, int batch, float[] probabilities, int threads)
    {
        Forward(x, batch, null, threads);
        SoftmaxCrossEntropy.Softmax(_act[^1], batch, ClassCount, probabilities);
    }

    private void EnsureBuffers(int batch)
    {
        if (batch == _batch)
        {
            return;
        }

        int n = _linears.Length;
        _z = new float[n][];
        _act = new float[n][];
        _mask = new float[n][];
        _dAct = new float[n][];
        for (int l = 0; l < n; l++)
        {
            int size = batch * _linears[l].Out;
            _z[l] = new float[size];
            _act[l] = l == n - 1 ? _z[l] : new float[size];
            _mask[l] = new float[size];
            _dAct[l] = new float[size];
        }

        int maxOut = _linears.Max(l => l.Out);
        _dzT = new float[batch * maxOut];
        _probs = new float[batch * ClassCount];
        _batch = batch;
    }

    private void Forward(float[] x, int batch, DeterministicRandom? dropoutRng, int threads)
    {
        if (x.Length < batch * InputCount)
        {
            throw new ArgumentException($"Input holds {x.Length} values, batch {batch} needs {batch * InputCount}.");
        }

        EnsureBuffers(batch);
        float[] input = x;
        for (int l = 0; l < _linears.Length; l++)
        {
            var layer = _linears[l];
            layer.Forward(input, batch, _z[l], _version, threads);
            if (l < _linears.Length - 1)
            {
                int size = batch * layer.Out;
                var z = _z[l].AsSpan(0, size);
                var act = _act[l].AsSpan(0, size);
                TensorPrimitives.Max(z, 0f, act);
                if (dropoutRng is not null && DropoutRate > 0)
                {
                    // Inverted dropout: kept units are scaled so evaluation needs no rescaling.
                    float keep = (float)(1.0 / (1.0 - DropoutRate));
                    float p = (float)DropoutRate;
                    var mask = _mask[l];
                    for (int i = 0; i < size; i++)
                    {
                        mask[i] = dropoutRng.NextFloat() < p ? 0f : keep;
                    }

                    TensorPrimitives.Multiply(act, mask.AsSpan(0, size), act);
                }
                else
                {
                    _mask[l].AsSpan(0, size).Fill(1f);
                }
            }

            input = _act[l];
        }
    }

    private void Backward(float[] x, int batch, int threads)
    {
        for (int l = _linears.Length - 1; l >= 0; l--)
        {
            var layer = _linears[l];
            float[] dz = _dAct[l];
            if (l < _linears.Length - 1)
            {
                // dZ = dA · mask · [z > 0]; the mask is 1 where dropout was off.
                int size = batch * layer.Out;
                var z = _z[l];
                var mask = _mask[l];
                for (int i = 0; i < size; i++)
                {
                    dz[i] = z[i] > 0f ? dz[i] * mask[i] : 0f;
                }
            }

            float[] input = l == 0 ? x : _act[l - 1];
            layer.Backward(input, dz, batch, _dzT, l == 0 ? null : _dAct[l - 1], threads);
        }
    }
}
