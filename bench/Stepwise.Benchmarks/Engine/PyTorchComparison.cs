using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Stepwise.Tasks;

namespace Stepwise.Benchmarks.Engine;

/// <summary>
/// <c>compare-pytorch</c>: trains the default model with Stepwise and the same layers in PyTorch (a
/// child process running bench/pytorch/mlp_throughput.py) at batch 32 and 256, one thread and all
/// threads, and prints the samples/s of both and their ratio. Both sides warm up once, then report the
/// median of the same number of passes over the same number of samples.
/// </summary>
internal static class PyTorchComparison
{
    private const int Samples = 4096;
    private const int Repeats = 7;

    public static int Run(string python)
    {
        string script = FindScript();
        var data = ShapesDataset.Generate(seed: 0, size: 28, trainPerClass: Samples / 6 + 1, valPerClass: 10);
        int[] threadCounts = Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];
        var pairs = (from batch in new[] { 32, 256 } from threads in threadCounts select (batch, threads)).ToList();

        Console.WriteLine("| batch | threads | Stepwise samples/s | PyTorch samples/s | ratio |");
        Console.WriteLine("|------:|--------:|-------------------:|------------------:|------:|");
        string? version = null;
        foreach (var (batch, threads) in pairs)
        {
            // One interpreter per thread count: the BLAS library reads its thread count once, at load.
            var reference = RunPyTorch(python, script, batch, threads);
            if (reference is null)
            {
                return 1;
            }

            version = reference.Version;
            double ours = MeasureStepwise(data, batch, threads);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {batch} | {threads} | {ours:F0} | {reference.Rate:F0} | {ours / reference.Rate:F2}x |"));
        }

        Console.WriteLine($"PyTorch {version}, {Samples} samples per pass, median of {Repeats} passes after one warm-up pass.");
        return 0;
    }

    private static double MeasureStepwise(ClassificationData data, int batch, int threads)
    {
        var workload = new MlpWorkload(data, batch);
        workload.TrainSamples(Samples, threads);
        var rates = new List<double>();
        for (int r = 0; r < Repeats; r++)
        {
            long start = Stopwatch.GetTimestamp();
            workload.TrainSamples(Samples, threads);
            rates.Add(Samples / Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        rates.Sort();
        return rates[rates.Count / 2];
    }

    private sealed record Reference(string Version, double Rate);

    private static Reference? RunPyTorch(string python, string script, int batch, int threads)
    {
        var info = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(Samples.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(Repeats.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"{batch}x{threads}"));
        string threadText = threads.ToString(CultureInfo.InvariantCulture);
        foreach (var name in new[] { "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS" })
        {
            info.Environment[name] = threadText;
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Console.Error.WriteLine($"compare-pytorch: cannot start '{python}': {ex.Message}. Pass the interpreter that has torch as the second argument.");
            return null;
        }

        using (process)
        {
            var errors = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine($"compare-pytorch: {python} {script} failed ({process.ExitCode}):");
                Console.Error.WriteLine(errors.Result);
                return null;
            }

            using var doc = JsonDocument.Parse(output.Trim());
            var root = doc.RootElement;
            return new Reference(root.GetProperty("torch").GetString() ?? "?", root.GetProperty("samples_per_s").GetDouble());
        }
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "bench", "pytorch", "mlp_throughput.py");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("bench/pytorch/mlp_throughput.py not found above " + AppContext.BaseDirectory);
    }
}
