namespace Stepwise.Cli;

/// <summary>One mode of the <c>stepwise</c> command (train, val, settings, hub, tb …).</summary>
internal interface ICliMode
{
    /// <summary>The mode's name as typed: <c>stepwise &lt;name&gt;</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>stepwise --help</c>.</summary>
    string Summary { get; }

    /// <summary>Writes the mode's full help: usage, keys, examples.</summary>
    /// <param name="writer">Where to write.</param>
    void WriteHelp(TextWriter writer);

    /// <summary>Runs the mode.</summary>
    /// <param name="args">The parsed arguments after the mode name.</param>
    /// <param name="context">Output, cancellation, clock and settings.</param>
    /// <returns>The process exit code.</returns>
    Task<int> RunAsync(CliArguments args, CliContext context);
}
