using System.Globalization;

namespace Stepwise.Callbacks;

/// <summary>
/// The process's rank in a distributed run, from <c>RANK</c> and <c>LOCAL_RANK</c>. Integrations run
/// only on the primary process: rank -1 (single process, variable unset) or 0.
/// </summary>
/// <param name="Rank">Global rank, -1 when not distributed.</param>
/// <param name="LocalRank">Rank on this machine, -1 when not distributed.</param>
public readonly record struct RankInfo(int Rank, int LocalRank)
{
    /// <summary>A single, non-distributed process.</summary>
    public static RankInfo Single => new(-1, -1);

    /// <summary>True when integrations may run here (rank -1 or 0).</summary>
    public bool IsPrimary => Rank is -1 or 0;

    /// <summary>Reads <c>RANK</c> and <c>LOCAL_RANK</c>.</summary>
    /// <param name="getEnvironmentVariable">Variable lookup; the process environment by default.</param>
    /// <returns>The rank; an unset or unparsable variable counts as -1.</returns>
    public static RankInfo FromEnvironment(Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        return new RankInfo(Parse(getEnvironmentVariable("RANK")), Parse(getEnvironmentVariable("LOCAL_RANK")));
    }

    private static int Parse(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rank) ? rank : -1;
}
