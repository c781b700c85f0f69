using Stepwise.Cli.Modes;

namespace Stepwise.Cli;

/// <summary>Every mode of the <c>stepwise</c> command, in the order <c>--help</c> lists them.</summary>
internal static class ModeCatalog
{
    public static IReadOnlyList<ICliMode> Create() =>
    [
        new TrainMode(),
        new ValMode(),
        new PredictMode(),
        new ExportMode(),
        new SettingsMode(),
        new HubMode(),
        new DvcMode(),
        new TbMode(),
    ];
}
