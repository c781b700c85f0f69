using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Stepwise.Settings;

/// <summary>
/// The JSON settings file in the user's config directory. It is created with defaults on first use,
/// migrated from older versions keeping the user's values, never silently reset when broken (the
/// error names the file and the key), and always replaced atomically (temp file + rename).
/// </summary>
public sealed class SettingsStore
{
    /// <summary>The settings file's name inside the config directory.</summary>
    public const string FileName = "settings.json";

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true };

    // Keys renamed between versions: old name → current name.
    private static readonly Dictionary<string, string> RenamedKeys = new(StringComparer.Ordinal)
    {
        ["analytics"] = "sync",
        ["hub_api_key"] = "api_key",
    };

    /// <summary>Creates a store for a settings file.</summary>
    /// <param name="path">The file; <see cref="DefaultPath"/> when null.</param>
    public SettingsStore(string? path = null)
    {
        Path = System.IO.Path.GetFullPath(path ?? DefaultPath());
    }

    /// <summary>The settings file.</summary>
    public string Path { get; }

    /// <summary>
    /// The default settings file: <c>$STEPWISE_CONFIG_DIR/settings.json</c>, else the user's config
    /// directory (<c>$XDG_CONFIG_HOME/stepwise</c> or <c>~/.config/stepwise</c> on Linux,
    /// <c>%APPDATA%\Stepwise</c> on Windows, <c>~/Library/Application Support/Stepwise</c> on macOS).
    /// </summary>
    /// <param name="getEnvironmentVariable">Variable lookup; the process environment by default.</param>
    /// <returns>The path.</returns>
    public static string DefaultPath(Func<string, string?>? getEnvironmentVariable = null)
    {
        getEnvironmentVariable ??= Environment.GetEnvironmentVariable;
        var overridden = getEnvironmentVariable("STEPWISE_CONFIG_DIR");
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            return System.IO.Path.Combine(overridden, FileName);
        }

        string directory;
        if (OperatingSystem.IsWindows())
        {
            directory = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Stepwise");
        }
        else if (OperatingSystem.IsMacOS())
        {
            directory = System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "Library", "Application Support", "Stepwise");
        }
        else
        {
            var xdg = getEnvironmentVariable("XDG_CONFIG_HOME");
            directory = !string.IsNullOrWhiteSpace(xdg)
                ? System.IO.Path.Combine(xdg, "stepwise")
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "stepwise");
        }

        return System.IO.Path.Combine(directory, FileName);
    }

    /// <summary>
    /// Reads the file (creating it with defaults when missing, migrating it when older) and returns
    /// the stored value of every key.
    /// </summary>
    /// <returns>Key → bool or string, for every key of the schema.</returns>
    /// <exception cref="SettingsException">The file is not valid JSON, has an unknown key or a wrong type.</exception>
    public IReadOnlyDictionary<string, object> Load()
    {
        if (!File.Exists(Path))
        {
            var fresh = Defaults();
            Write(fresh);
            return fresh;
        }

        string text;
        try
        {
            text = File.ReadAllText(Path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new SettingsException($"Cannot read settings file {Path}: {ex.Message}", ex);
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) as JsonObject
                ?? throw new SettingsException($"Settings file {Path} must hold a JSON object; fix or delete it, or run 'stepwise settings reset'.", null, Path);
        }
        catch (JsonException ex)
        {
            throw new SettingsException(
                $"Settings file {Path} is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {FirstSentence(ex.Message)} Fix the file, or run 'stepwise settings reset' to start over.",
                ex);
        }

        var (values, migrated) = ReadValues(root);
        if (migrated)
        {
            Write(values);
        }

        return values;
    }

    /// <summary>Sets keys in the file, validating each; nothing is written if any is invalid.</summary>
    /// <param name="updates">Key → value text, as typed on the command line.</param>
    /// <returns>The stored values after the update.</returns>
    /// <exception cref="SettingsException">A key is unknown or read-only, or a value has the wrong type.</exception>
    public IReadOnlyDictionary<string, object> Set(IEnumerable<KeyValuePair<string, string>> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var parsed = new List<(string Key, object Value)>();
        foreach (var (key, text) in updates)
        {
            var definition = SettingsSchema.Get(key);
            if (definition.IsReadOnly)
            {
                throw new SettingsException($"Settings key '{key}' is read-only.", key, null);
            }

            parsed.Add((key, SettingsSchema.Parse(definition, text, "command line")));
        }

        var values = new Dictionary<string, object>(Load(), StringComparer.Ordinal);
        foreach (var (key, value) in parsed)
        {
            values[key] = value;
        }

        Write(values);
        return values;
    }

    /// <summary>Replaces the file with the defaults (a new installation identity included).</summary>
    /// <returns>The new values.</returns>
    public IReadOnlyDictionary<string, object> Reset()
    {
        var fresh = Defaults();
        Write(fresh);
        return fresh;
    }

    private static string FirstSentence(string message)
    {
        // System.Text.Json appends "LineNumber: … | BytePositionInLine: …"; the position is already in our message.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).ReplaceLineEndings(" ").Trim();
    }

    private static Dictionary<string, object> Defaults()
    {
        var values = SettingsSchema.Keys.ToDictionary(k => k.Key, k => k.Default, StringComparer.Ordinal);
        values["uuid"] = NewIdentity();
        return values;
    }

    private static string NewIdentity() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private (Dictionary<string, object> Values, bool Migrated) ReadValues(JsonObject root)
    {
        var version = root["settings_version"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "1.0";
        var migrated = !string.Equals(version, SettingsSchema.CurrentVersion, StringComparison.Ordinal);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (rawKey, node) in root)
        {
            var key = rawKey;
            if (migrated && RenamedKeys.TryGetValue(rawKey, out var renamed))
            {
                key = renamed;
            }

            var definition = SettingsSchema.Get(key, Path);
            values[key] = ReadValue(definition, node);
        }

        foreach (var definition in SettingsSchema.Keys)
        {
            if (!values.ContainsKey(definition.Key))
            {
                values[definition.Key] = definition.Default;
                migrated = true;
            }
        }

        if (string.IsNullOrEmpty((string)values["uuid"]))
        {
            values["uuid"] = NewIdentity();
            migrated = true;
        }

        values["settings_version"] = SettingsSchema.CurrentVersion;
        return (values, migrated);
    }

    private object ReadValue(SettingDefinition definition, JsonNode? node)
    {
        var kind = node?.GetValueKind() ?? JsonValueKind.Null;
        switch (definition.Type)
        {
            case SettingType.Boolean when kind is JsonValueKind.True or JsonValueKind.False:
                return kind == JsonValueKind.True;
            case SettingType.String when kind == JsonValueKind.String:
                return node!.GetValue<string>();
            case SettingType.Directory when kind == JsonValueKind.String && node!.GetValue<string>().Trim().Length > 0:
                return node!.GetValue<string>();
            case SettingType.Url when kind == JsonValueKind.String:
                try
                {
                    return SettingsSchema.ValidateUrl(definition, node!.GetValue<string>(), Path);
                }
                catch (SettingsException ex)
                {
                    throw new SettingsException(ex.Message, definition.Key, Path);
                }

            default:
                var found = node?.ToJsonString() ?? "null";
                throw new SettingsException(
                    $"Settings file {Path}: key '{definition.Key}' must be {definition.TypeDescription}, found {found}. " +
                    "Fix the file, or run 'stepwise settings reset' to start over.",
                    definition.Key,
                    Path);
        }
    }

    private void Write(IReadOnlyDictionary<string, object> values)
    {
        var root = new JsonObject();
        foreach (var definition in SettingsSchema.Keys)
        {
            root[definition.Key] = values[definition.Key] switch
            {
                bool b => JsonValue.Create(b),
                var other => JsonValue.Create(SettingsSchema.Format(other)),
            };
        }

        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, root.ToJsonString(WriteOptions) + "\n", new UTF8Encoding(false));
            File.Move(temp, Path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
