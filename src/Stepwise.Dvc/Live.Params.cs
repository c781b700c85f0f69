using Stepwise.Dvc.Formatting;
using Stepwise.Dvc.Internal;

namespace Stepwise.Dvc;

public sealed partial class Live
{
    /// <summary>
    /// Logs a parameter and rewrites params.yaml (atomically). Values: null, bool, numbers, strings,
    /// lists/arrays/tuples and dictionaries of those, nested. A dictionary replaces the previous value
    /// (no deep merge); re-logging a name keeps its position.
    /// </summary>
    /// <param name="name">Top-level key.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="InvalidParameterTypeException">
    /// The value (or something inside it) cannot be written as YAML; nothing is stored and params.yaml
    /// keeps its previous content.
    /// </exception>
    public void LogParam(string name, object? value)
    {
        ArgumentNullException.ThrowIfNull(name);
        LogParams([new KeyValuePair<string, object?>(name, value)]);
    }

    /// <summary>Logs several parameters at once (a shallow update) and rewrites params.yaml once.</summary>
    /// <param name="parameters">Name → value pairs, see <see cref="LogParam"/>.</param>
    /// <exception cref="InvalidParameterTypeException">A value cannot be written; nothing is stored.</exception>
    public void LogParams(IEnumerable<KeyValuePair<string, object?>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ThrowIfDisposed();
        var staged = new List<KeyValuePair<string, object?>>();
        foreach (var (name, value) in parameters)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(parameters));
            if (!LiveValues.TryNormalize(value, name, out var normalized, out var badPath))
            {
                throw new InvalidParameterTypeException(
                    $"cannot represent an object: parameter '{badPath}; nothing was stored and params.yaml is unchanged.");
            }

            staged.Add(new(name, normalized));
        }

        var wasEmpty = _params.Count == 0;
        foreach (var (name, value) in staged)
        {
            _params[name] = value;
        }

        WriteParams();
        if (wasEmpty && _params.Count > 0)
        {
            _dvcYamlDirty = true;
        }
    }

    private void WriteParams() => AtomicFile.WriteText(ParamsFile, RuamelYaml.SerializeMapping(_params));
}
