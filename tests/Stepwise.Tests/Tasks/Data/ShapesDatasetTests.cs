using Stepwise.Imaging;
using Stepwise.Tasks;

namespace Stepwise.Tests.Tasks.Data;

public class ShapesDatasetTests
{
    [Fact]
    public void Same_seed_gives_identical_data()
    {
        var a = ShapesDataset.Generate(seed: 3, trainPerClass: 20, valPerClass: 5);
        var b = ShapesDataset.Generate(seed: 3, trainPerClass: 20, valPerClass: 5);
        Assert.Equal(a.Train.Features, b.Train.Features);
        Assert.Equal(a.Val.Features, b.Val.Features);
        Assert.Equal(a.Train.Labels, b.Train.Labels);
    }

    [Fact]
    public void Different_seeds_give_different_images()
    {
        var a = ShapesDataset.Generate(seed: 1, trainPerClass: 5, valPerClass: 1);
        var b = ShapesDataset.Generate(seed: 2, trainPerClass: 5, valPerClass: 1);
        Assert.NotEqual(a.Train.Features, b.Train.Features);
    }

    [Fact]
    public void Train_and_val_images_differ()
    {
        var data = ShapesDataset.Generate(trainPerClass: 3, valPerClass: 3);
        Assert.NotEqual(data.Train.Features, data.Val.Features);
    }

    [Fact]
    public void Defaults_give_six_balanced_classes_of_28_by_28_gray_images()
    {
        var data = ShapesDataset.Generate();
        Assert.Equal(["circle", "square", "triangle", "cross", "ring", "line"], data.ClassNames);
        Assert.Equal((28, 28, 784), (data.ImageWidth, data.ImageHeight, data.FeatureCount));
        Assert.Equal(3000, data.Train.Count);
        Assert.Equal(600, data.Val.Count);
        Assert.All(data.Train.Labels.GroupBy(l => l), g => Assert.Equal(500, g.Count()));
        Assert.All(data.Val.Labels.GroupBy(l => l), g => Assert.Equal(100, g.Count()));
        Assert.InRange(data.Train.Features.Min(), 0f, 0.1f);
        Assert.InRange(data.Train.Features.Max(), 0.9f, 1f);
        Assert.Equal("shapes:0", data.Source);
        Assert.Null(data.Train.Sources);
    }

    [Fact]
    public void Image_size_follows_the_size_argument()
    {
        var data = ShapesDataset.Generate(size: 40, trainPerClass: 1, valPerClass: 1);
        var image = data.Train.ImageAt(0);
        Assert.Equal((40, 40, 1), (image.Width, image.Height, image.Channels));
        Assert.Equal(1600, data.FeatureCount);
    }

    [Fact]
    public void Features_equal_the_pixels_of_the_rendered_image()
    {
        var data = ShapesDataset.Generate(trainPerClass: 2, valPerClass: 1);
        var image = Png.Decode(Png.Encode(data.Train.ImageAt(5)));
        var features = data.Train.FeaturesAt(5);
        for (int i = 0; i < features.Length; i++)
        {
            Assert.Equal(features[i], image.Pixels[i] / 255f);
        }
    }

    [Fact]
    public void Shapes_are_bright_on_a_dark_background_with_different_areas()
    {
        var data = ShapesDataset.Generate(trainPerClass: 30, valPerClass: 1);
        double MeanBrightness(int label) => Enumerable.Range(0, data.Train.Count)
            .Where(i => data.Train.Labels[i] == label)
            .Average(i => data.Train.FeaturesAt(i).ToArray().Average());

        // The square is the largest filled shape, the line the thinnest.
        Assert.True(MeanBrightness(1) > MeanBrightness(0) + 0.05);
        Assert.True(MeanBrightness(0) > MeanBrightness(5) + 0.05);
        Assert.All(Enumerable.Range(0, 6), label => Assert.InRange(MeanBrightness(label), 0.08, 0.6));
    }

    [Fact]
    public void A_small_two_layer_network_learns_it_above_90_percent_in_two_epochs()
    {
        var data = ShapesDataset.Generate(seed: 11, trainPerClass: 250, valPerClass: 50);
        double accuracy = TinyMlp.TrainAndEvaluate(data, hidden: 24, epochs: 2, learningRate: 0.02f);
        Assert.True(accuracy >= 0.9, $"validation accuracy {accuracy:P1}");
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapesDataset.Generate(size: 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapesDataset.Generate(trainPerClass: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShapesDataset.Generate(valPerClass: 0));
    }

    /// <summary>A deliberately plain per-sample SGD network, only to show the data is learnable.</summary>
    private static class TinyMlp
    {
        public static double TrainAndEvaluate(ClassificationData data, int hidden, int epochs, float learningRate)
        {
            int f = data.FeatureCount;
            int c = data.ClassNames.Count;
            var random = new Random(5);
            var w1 = new float[f * hidden];
            var b1 = new float[hidden];
            var w2 = new float[hidden * c];
            var b2 = new float[c];
            for (int i = 0; i < w1.Length; i++)
            {
                w1[i] = (float)(((random.NextDouble() * 2) - 1) * Math.Sqrt(6.0 / f));
            }

            for (int i = 0; i < w2.Length; i++)
            {
                w2[i] = (float)(((random.NextDouble() * 2) - 1) * Math.Sqrt(6.0 / hidden));
            }

            var h = new float[hidden];
            var o = new float[c];
            var gh = new float[hidden];
            var order = Enumerable.Range(0, data.Train.Count).ToArray();
            for (int epoch = 0; epoch < epochs; epoch++)
            {
                random.Shuffle(order);
                foreach (int n in order)
                {
                    var x = data.Train.FeaturesAt(n);
                    Forward(x, w1, b1, w2, b2, h, o);
                    float max = o.Max();
                    float sum = 0;
                    for (int k = 0; k < c; k++)
                    {
                        o[k] = MathF.Exp(o[k] - max);
                        sum += o[k];
                    }

                    for (int k = 0; k < c; k++)
                    {
                        o[k] /= sum;
                    }

                    o[data.Train.Labels[n]] -= 1;
                    Array.Clear(gh);
                    for (int j = 0; j < hidden; j++)
                    {
                        for (int k = 0; k < c; k++)
                        {
                            gh[j] += o[k] * w2[(j * c) + k];
                            w2[(j * c) + k] -= learningRate * o[k] * h[j];
                        }
                    }

                    for (int k = 0; k < c; k++)
                    {
                        b2[k] -= learningRate * o[k];
                    }

                    for (int j = 0; j < hidden; j++)
                    {
                        if (h[j] <= 0)
                        {
                            continue;
                        }

                        b1[j] -= learningRate * gh[j];
                        for (int i = 0; i < f; i++)
                        {
                            w1[(i * hidden) + j] -= learningRate * gh[j] * x[i];
                        }
                    }
                }
            }

            int correct = 0;
            for (int n = 0; n < data.Val.Count; n++)
            {
                Forward(data.Val.FeaturesAt(n), w1, b1, w2, b2, h, o);
                if (Array.IndexOf(o, o.Max()) == data.Val.Labels[n])
                {
                    correct++;
                }
            }

            return correct / (double)data.Val.Count;
        }

        private static void Forward(ReadOnlySpan<float> x, float[] w1, float[] b1, float[] w2, float[] b2, float[] h, float[] o)
        {
            int hidden = b1.Length;
            Array.Copy(b1, h, hidden);
            for (int i = 0; i < x.Length; i++)
            {
                float xi = x[i];
                if (xi == 0)
                {
                    continue;
                }

                for (int j = 0; j < hidden; j++)
                {
                    h[j] += xi * w1[(i * hidden) + j];
                }
            }

            for (int j = 0; j < hidden; j++)
            {
                h[j] = Math.Max(0, h[j]);
            }

            for (int k = 0; k < o.Length; k++)
            {
                float s = b2[k];
                for (int j = 0; j < hidden; j++)
                {
                    s += h[j] * w2[(j * o.Length) + k];
                }

                o[k] = s;
            }
        }
    }
}
