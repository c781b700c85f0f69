using System.Diagnostics;

namespace Stepwise.Cli.Tests.Support;

/// <summary>Runs the built <c>stepwise</c> command as a separate process.</summary>
internal static class CliProcess
{
    public sealed record Result(int ExitCode, string Out, string Error);

    /// <summary>Path of the CLI assembly copied next to the tests.</summary>
    public static string CliPath => Path.Combine(AppContext.BaseDirectory, "Stepwise.Cli.dll");

    public static async Task<Result> RunAsync(
        string configDir,
        IEnumerable<string> args,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? configDir,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["STEPWISE_CONFIG_DIR"] = configDir;
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("STEPWISE_", StringComparison.Ordinal) && k != "STEPWISE_CONFIG_DIR").ToList())
        {
            start.Environment.Remove(name);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"stepwise {string.Join(' ', args)} did not finish in time");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
