using BenchmarkDotNet.Running;
using Stepwise.Benchmarks.Engine;

// `compare-pytorch [python]` runs the side-by-side training comparison; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "compare-pytorch")
{
    return PyTorchComparison.Run(args.Length > 1 ? args[1] : "python3");
}

// `live-profile [steps] [none|html] [summary ms]` times each block of 1,000 Live steps and the memory retained after it.
if (args.Length > 0 && args[0] == "live-profile")
{
    return Stepwise.Benchmarks.Dvc.LiveProfile.Run(
        args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000,
        args.Length > 2 && args[2] == "html" ? Stepwise.Dvc.LiveReportMode.Html : Stepwise.Dvc.LiveReportMode.None,
        args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 0);
}

BenchmarkSwitcher.FromAssembly(typeof(PyTorchComparison).Assembly).Run(args);
return 0;
