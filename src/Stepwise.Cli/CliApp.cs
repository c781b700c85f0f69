using System.Reflection;
using Stepwise.Settings;

namespace Stepwise.Cli;

/// <summary>Dispatches <c>stepwise &lt;mode&gt; …</c> to a mode and turns errors into exit codes.</summary>
internal sealed class CliApp
{
    /// <summary>Exit code for a wrong command line or settings value.</summary>
    public const int UsageError = 2;

    private readonly IReadOnlyList<ICliMode> _modes;

    public CliApp(IReadOnlyList<ICliMode> modes)
    {
        _modes = modes;
    }

    public static string Version =>
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    public async Task<int> RunAsync(string[] args, CliContext context)
    {
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            if (args.Length > 1 && Find(args[1]) is { } helpMode)
            {
                helpMode.WriteHelp(context.Out);
                return 0;
            }

            WriteHelp(context.Out);
            return 0;
        }

        if (args[0] is "--version" or "-V" or "version")
        {
            await context.Out.WriteLineAsync($"stepwise {Version}").ConfigureAwait(false);
            return 0;
        }

        var mode = Find(args[0]);
        if (mode is null)
        {
            var close = _modes.Select(m => m.Name).Where(n => CliArguments.Distance(n, args[0].ToLowerInvariant()) <= 2).ToList();
            var hint = close.Count > 0 ? $" Did you mean: {string.Join(", ", close)}?" : string.Empty;
            await context.Error.WriteLineAsync($"stepwise: unknown mode '{args[0]}'.{hint} Modes: {string.Join(", ", _modes.Select(m => m.Name))}. See 'stepwise --help'.").ConfigureAwait(false);
            return UsageError;
        }

        var rest = args.Skip(1).ToArray();
        if (rest.Any(a => a is "--help" or "-h"))
        {
            mode.WriteHelp(context.Out);
            return 0;
        }

        try
        {
            var parsed = CliArguments.Parse(rest);
            return await mode.RunAsync(parsed, context).ConfigureAwait(false);
        }
        catch (CliUsageException ex)
        {
            await context.Error.WriteLineAsync($"stepwise {mode.Name}: {ex.Message} See 'stepwise {mode.Name} --help'.").ConfigureAwait(false);
            return UsageError;
        }
        catch (SettingsException ex)
        {
            await context.Error.WriteLineAsync($"stepwise {mode.Name}: {ex.Message}").ConfigureAwait(false);
            return UsageError;
        }
        catch (OperationCanceledException) when (context.Cancellation.IsCancellationRequested)
        {
            await context.Error.WriteLineAsync($"stepwise {mode.Name}: interrupted.").ConfigureAwait(false);
            return 130;
        }
    }

    private ICliMode? Find(string name) =>
        _modes.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));

    private void WriteHelp(TextWriter writer)
    {
        writer.WriteLine($"stepwise {Version}: training-run instrumentation for .NET");
        writer.WriteLine();
        writer.WriteLine("Usage: stepwise <mode> [key=value ...] [--key value ...]");
        writer.WriteLine();
        writer.WriteLine("Modes:");
        var width = _modes.Max(m => m.Name.Length) + 2;
        foreach (var mode in _modes)
        {
            writer.WriteLine($"  {mode.Name.PadRight(width)}{mode.Summary}");
        }

        writer.WriteLine();
        writer.WriteLine("Options:");
        writer.WriteLine("  --help, -h     Show help (also after a mode: stepwise <mode> --help)");
        writer.WriteLine("  --version      Show the version");
        writer.WriteLine();
        writer.WriteLine("Arguments are key=value pairs, as in 'stepwise settings dvc=false'; --key value works too.");
    }
}
