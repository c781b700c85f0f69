using System.Text.RegularExpressions;

namespace Stepwise.Dvc.Internal;

/// <summary>The reference's truthiness rule for environment variables.</summary>
internal static partial class EnvFlags
{
    /// <summary>True when the value contains <c>1</c>, <c>y</c>, <c>yes</c> or <c>true</c> anywhere, ignoring case.</summary>
    public static bool IsTruthy(string? value) => value is not null && Truthy().IsMatch(value);

    [GeneratedRegex("1|y|yes|true", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Truthy();
}
