using BenchmarkDotNet.Running;
using Stepwise.Benchmarks.Engine;

// `compare-pytorch [python]` runs the side-by-side training comparison; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "compare-pytorch")
{
    return PyTorchComparison.Run(args.Length > 1 ? args[1] : "python3");
}

BenchmarkSwitcher.FromAssembly(typeof(PyTorchComparison).Assembly).Run(args);
return 0;
