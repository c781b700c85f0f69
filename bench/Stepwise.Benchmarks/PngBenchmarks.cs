using BenchmarkDotNet.Attributes;
using Stepwise.Imaging;
using Stepwise.Tasks;

namespace Stepwise.Benchmarks;

/// <summary>
/// PNG encode and decode of typical run plots: a 256x256 RGB chart-like image (flat areas, lines,
/// text) and a 28x28 gray dataset sample; plus generating the default shapes dataset.
/// </summary>
[MemoryDiagnoser]
public class PngBenchmarks
{
    private RasterImage _chart = null!;
    private RasterImage _sample = null!;
    private byte[] _chartPng = null!;
    private byte[] _samplePng = null!;

    [GlobalSetup]
    public void Setup()
    {
        var canvas = new Canvas(256, 256, Rgb.White);
        for (int i = 0; i < 16; i++)
        {
            canvas.DrawLine(0, i * 16, 255, 255 - (i * 16), new Rgb((byte)(i * 15), 80, 200), 2);
            canvas.DrawText(4, (i * 16) + 4, $"epoch {i} loss 0.{i:D3}", Rgb.Black);
        }

        _chart = canvas.ToImage();
        _sample = ShapesDataset.Generate(trainPerClass: 1, valPerClass: 1).Train.ImageAt(0);
        _chartPng = Png.Encode(_chart);
        _samplePng = Png.Encode(_sample);
    }

    [Benchmark]
    public byte[] EncodeChart256Rgb() => Png.Encode(_chart);

    [Benchmark]
    public RasterImage DecodeChart256Rgb() => Png.Decode(_chartPng);

    [Benchmark]
    public byte[] EncodeSample28Gray() => Png.Encode(_sample);

    [Benchmark]
    public RasterImage DecodeSample28Gray() => Png.Decode(_samplePng);

    [Benchmark]
    public ClassificationData GenerateShapesDefault() => ShapesDataset.Generate();
}
