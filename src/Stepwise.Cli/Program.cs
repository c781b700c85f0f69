using Stepwise.Cli;
using Stepwise.Settings;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C asks the running mode to stop at a safe point; a second one ends the process.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        Console.Error.WriteLine("Stopping after the current step (press Ctrl+C again to abort)...");
        cancellation.Cancel();
    }
};

var context = new CliContext(
    Console.Out,
    Console.Error,
    !Console.IsOutputRedirected,
    TimeProvider.System,
    new SettingsStore(),
    cancellation.Token);
return await new CliApp(ModeCatalog.Create()).RunAsync(args, context).ConfigureAwait(false);
