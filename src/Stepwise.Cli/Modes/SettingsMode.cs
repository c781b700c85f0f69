using Stepwise.Settings;

namespace Stepwise.Cli.Modes;

/// <summary><c>stepwise settings</c>: show, change or reset the settings file.</summary>
internal sealed class SettingsMode : ICliMode
{
    public string Name => "settings";

    public string Summary => "Show, change (key=value) or reset the settings file.";

    public void WriteHelp(TextWriter writer)
    {
        writer.WriteLine("Usage:");
        writer.WriteLine("  stepwise settings                      show the settings file's path and values");
        writer.WriteLine("  stepwise settings key=value [...]      change keys (validated; nothing is written on an error)");
        writer.WriteLine("  stepwise settings reset                restore the defaults");
        writer.WriteLine();
        writer.WriteLine("Keys:");
        var width = SettingsSchema.Keys.Max(k => k.Key.Length) + 2;
        foreach (var key in SettingsSchema.Keys)
        {
            var flags = key.IsReadOnly ? " (read-only)" : string.Empty;
            writer.WriteLine($"  {key.Key.PadRight(width)}{key.Description} Default: {Display(key, key.Default)}.{flags}");
        }

        writer.WriteLine();
        writer.WriteLine("Each key can be overridden by the environment variable STEPWISE_<KEY> and by a per-run");
        writer.WriteLine("argument (stepwise train dvc=true). The file lives in $STEPWISE_CONFIG_DIR, else the user's");
        writer.WriteLine("config directory.");
        writer.WriteLine();
        writer.WriteLine("Examples:");
        writer.WriteLine("  stepwise settings tensorboard=false dvc=true");
        writer.WriteLine("  stepwise settings hub_url=http://127.0.0.1:8484");
    }

    public async Task<int> RunAsync(CliArguments args, CliContext context)
    {
        var store = context.Settings;
        if (args.Positionals.Count == 1 && args.Positionals[0] == "reset" && args.Options.Count == 0)
        {
            Print(store.Reset(), store.Path, context.Out, "Settings reset to defaults");
            return 0;
        }

        if (args.Positionals.Count > 0)
        {
            throw new CliUsageException($"Unexpected '{args.Positionals[0]}': use key=value pairs or 'reset'.");
        }

        var values = args.Options.Count == 0
            ? store.Load()
            : store.Set(args.Options);
        Print(values, store.Path, context.Out, args.Options.Count == 0 ? "Settings" : "Settings updated");
        await context.Out.FlushAsync(context.Cancellation).ConfigureAwait(false);
        return 0;
    }

    private static void Print(IReadOnlyDictionary<string, object> values, string path, TextWriter writer, string title)
    {
        writer.WriteLine($"{title}: {path}");
        var width = SettingsSchema.Keys.Max(k => k.Key.Length) + 2;
        foreach (var key in SettingsSchema.Keys)
        {
            writer.WriteLine($"  {key.Key.PadRight(width)}{Display(key, values[key.Key])}");
        }
    }

    private static string Display(SettingDefinition key, object value)
    {
        var text = SettingsSchema.Format(value);
        if (key.IsSecret && text.Length > 0)
        {
            // Show enough to tell keys apart, never enough to use one.
            return text.Length <= 8 ? new string('*', text.Length) : text[..4] + new string('*', text.Length - 4);
        }

        return text.Length == 0 ? "\"\"" : text;
    }
}
