using Stepwise.Tasks;

namespace Stepwise.Tests.Tasks;

public class MlpClassifierTests
{
    private static (float[] X, int[] Y) Batch(int batch, int inputs, int classes, ulong seed)
    {
        var rng = new DeterministicRandom(seed);
        var x = new float[batch * inputs];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (rng.NextFloat() * 2) - 1;
        }

        var y = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            y[i] = rng.NextInt(classes);
        }

        return (x, y);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void Analytic_gradients_match_central_finite_differences(double dropout)
    {
        var model = new MlpClassifier(6, [9, 5], 4, dropout, seed: 7);
        var (x, y) = Batch(5, 6, 4, 11);
        const ulong MaskSeed = 99;
        model.ForwardBackward(x, y, 5, new DeterministicRandom(MaskSeed), 1);
        var analytic = model.Slots.Select(s => (float[])s.Grad.Clone()).ToList();
        const float Eps = 1e-3f;
        int checkedCount = 0;
        for (int si = 0; si < model.Slots.Count; si++)
        {
            var slot = model.Slots[si];
            for (int i = 0; i < slot.Data.Length; i++)
            {
                float saved = slot.Data[i];
                slot.Data[i] = saved + Eps;
                model.MarkParametersChanged();
                double plus = model.ForwardBackward(x, y, 5, new DeterministicRandom(MaskSeed), 1);
                slot.Data[i] = saved - Eps;
                model.MarkParametersChanged();
                double minus = model.ForwardBackward(x, y, 5, new DeterministicRandom(MaskSeed), 1);
                slot.Data[i] = saved;
                model.MarkParametersChanged();
                double numeric = (plus - minus) / (2 * Eps);
                double a = analytic[si][i];
                Assert.True(Math.Abs(numeric - a) <= 2e-3 + (2e-2 * Math.Abs(a)), $"{slot.Name}[{i}]: analytic {a}, numeric {numeric}");
                checkedCount++;
            }
        }

        Assert.Equal(model.ParameterCount, checkedCount);
    }

    [Fact]
    public void Layers_describe_the_graph_with_shapes_and_parameter_counts()
    {
        var model = new MlpClassifier(784, [128, 64], 6, 0.1);
        Assert.Equal(["Flatten", "Linear", "ReLU", "Dropout", "Linear", "ReLU", "Dropout", "Linear", "Softmax"], model.Layers.Select(l => l.Kind));
        Assert.Equal((784 * 128) + 128 + (128 * 64) + 64 + (64 * 6) + 6, model.ParameterCount);
        Assert.Equal(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"], model.Parameters().Select(p => p.Name));
        Assert.Equal([128, 784], model.Parameters()[0].Shape);
        Assert.Equal(2.0 * ((784 * 128) + (128 * 64) + (64 * 6)), model.FlopsPerSample);
    }

    [Fact]
    public void Evaluation_probabilities_sum_to_one_and_loss_matches_training_loss_without_dropout()
    {
        var model = new MlpClassifier(10, [8], 3, 0, seed: 1);
        var (x, y) = Batch(4, 10, 3, 2);
        double trainLoss = model.ForwardBackward(x, y, 4, null, 1);
        var probs = new float[12];
        double summed = model.Evaluate(x, y, 4, probs, 1);
        Assert.Equal(trainLoss, summed / 4, 6);
        for (int b = 0; b < 4; b++)
        {
            Assert.Equal(1.0, probs.Skip(b * 3).Take(3).Sum(), 5);
        }
    }

    [Fact]
    public void Same_seed_gives_identical_weights_and_different_seed_differs()
    {
        var a = new MlpClassifier(20, [10], 3, seed: 5).Parameters()[0].Data;
        var b = new MlpClassifier(20, [10], 3, seed: 5).Parameters()[0].Data;
        var c = new MlpClassifier(20, [10], 3, seed: 6).Parameters()[0].Data;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
