using System.Numerics.Tensors;

namespace Stepwise.Tasks;

/// <summary>Numerically stable softmax and cross-entropy over rows of logits.</summary>
internal static class SoftmaxCrossEntropy
{
    /// <summary>Mean loss over the batch; writes dLoss/dLogits = (softmax − onehot)/batch into <paramref name="grad"/>.</summary>
    public static double LossAndGradient(float[] logits, int[] labels, int batch, int classes, float[] grad)
    {
        double total = 0;
        float inv = 1f / batch;
        for (int b = 0; b < batch; b++)
        {
            var row = logits.AsSpan(b * classes, classes);
            var g = grad.AsSpan(b * classes, classes);
            total += SoftmaxRow(row, g, labels[b], classes);
            g[labels[b]] -= 1f;
            TensorPrimitives.Multiply(g, inv, g);
        }

        return total / batch;
    }

    /// <summary>Writes softmax probabilities and returns the summed (not mean) loss.</summary>
    public static double Probabilities(float[] logits, int[] labels, int batch, int classes, float[] probabilities)
    {
        double total = 0;
        for (int b = 0; b < batch; b++)
        {
            total += SoftmaxRow(logits.AsSpan(b * classes, classes), probabilities.AsSpan(b * classes, classes), labels[b], classes);
        }

        return total;
    }

    /// <summary>Writes softmax probabilities of each row (no labels, no loss).</summary>
    public static void Softmax(float[] logits, int batch, int classes, float[] probabilities)
    {
        for (int b = 0; b < batch; b++)
        {
            var row = logits.AsSpan(b * classes, classes);
            var probs = probabilities.AsSpan(b * classes, classes);
            float max = TensorPrimitives.Max(row);
            float sum = 0f;
            for (int c = 0; c < classes; c++)
            {
                float e = MathF.Exp(row[c] - max);
                probs[c] = e;
                sum += e;
            }

            float inv = 1f / sum;
            for (int c = 0; c < classes; c++)
            {
                probs[c] *= inv;
            }
        }
    }

    private static double SoftmaxRow(ReadOnlySpan<float> row, Span<float> probs, int label, int classes)
    {
        if ((uint)label >= (uint)classes)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"label outside 0..{classes - 1}.");
        }

        float max = TensorPrimitives.Max(row);
        float sum = 0f;
        for (int c = 0; c < classes; c++)
        {
            float e = MathF.Exp(row[c] - max);
            probs[c] = e;
            sum += e;
        }

        float inv = 1f / sum;
        for (int c = 0; c < classes; c++)
        {
            probs[c] *= inv;
        }

        // log softmax[label] = (z_label − max) − log(sum), exact even when the probability underflows.
        return -((double)(row[label] - max) - Math.Log(sum));
    }
}
