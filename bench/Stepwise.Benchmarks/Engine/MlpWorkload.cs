using Stepwise.Engine;
using Stepwise.Tasks;

namespace Stepwise.Benchmarks.Engine;

/// <summary>
/// The default model (784 → 256 → 128 → 6, AdamW) trained on the default generated dataset, with no
/// engine around it: the pure compute every engine benchmark compares against.
/// </summary>
internal sealed class MlpWorkload
{
    public static readonly int[] Hidden = [256, 128];

    private readonly float[] _x;
    private readonly int[] _labels;
    private readonly float[] _probabilities;

    public MlpWorkload(ClassificationData data, int batch)
    {
        Data = data;
        Batch = batch;
        Model = new MlpClassifier(data.FeatureCount, Hidden, data.ClassNames.Count, dropout: 0, seed: 0);
        Optimizer = new AdamWOptimizer(Model.Slots, 0.001, 0.9, 0.0005);
        _x = new float[batch * data.FeatureCount];
        _labels = new int[batch];
        _probabilities = new float[batch * 2 * data.ClassNames.Count];
    }

    public ClassificationData Data { get; }

    public int Batch { get; }

    public MlpClassifier Model { get; }

    public AdamWOptimizer Optimizer { get; }

    /// <summary>One pass over the first <paramref name="samples"/> training samples: forward, backward, step.</summary>
    public double TrainSamples(int samples, int threads) => Train([.. Enumerable.Range(0, samples)], threads);

    /// <summary>One pass over the training samples in <paramref name="order"/>, gathered into batches as the trainer does.</summary>
    public double Train(int[] order, int threads)
    {
        var split = Data.Train;
        int features = split.FeatureCount;
        double loss = 0;
        for (int start = 0; start < order.Length; start += Batch)
        {
            int n = Math.Min(Batch, order.Length - start);
            for (int i = 0; i < n; i++)
            {
                int idx = order[start + i];
                Array.Copy(split.Features, (long)idx * features, _x, (long)i * features, features);
                _labels[i] = split.Labels[idx];
            }

            loss += Model.ForwardBackward(_x, _labels, n, null, threads);
            Optimizer.Step();
            Model.MarkParametersChanged();
        }

        return loss;
    }

    /// <summary>One evaluation pass over the validation split in batches of twice the training batch, as the validator does.</summary>
    public double Evaluate(int threads)
    {
        var split = Data.Val;
        int features = split.FeatureCount;
        int batch = Batch * 2;
        var x = new float[batch * features];
        var labels = new int[batch];
        double loss = 0;
        for (int start = 0; start < split.Count; start += batch)
        {
            int n = Math.Min(batch, split.Count - start);
            Array.Copy(split.Features, (long)start * features, x, 0, (long)n * features);
            Array.Copy(split.Labels, start, labels, 0, n);
            loss += Model.Evaluate(x, labels, n, _probabilities, threads);
        }

        return loss;
    }
}
