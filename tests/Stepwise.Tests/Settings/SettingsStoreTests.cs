using System.Text.Json.Nodes;
using Stepwise.Settings;

namespace Stepwise.Tests.Settings;

public sealed class SettingsStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private SettingsStore NewStore() => new(_dir.Combine("config", SettingsStore.FileName));

    [Fact]
    public void First_use_creates_the_file_with_defaults_and_an_identity()
    {
        var store = NewStore();
        var values = store.Load();

        Assert.True(File.Exists(store.Path));
        var json = JsonNode.Parse(File.ReadAllText(store.Path))!.AsObject();
        foreach (var key in SettingsSchema.Keys)
        {
            Assert.True(json.ContainsKey(key.Key), key.Key);
        }

        Assert.Equal(false, values["sync"]);
        Assert.Equal(SettingsSchema.CurrentVersion, values["settings_version"]);
        Assert.Matches("^[0-9a-f]{32}$", (string)values["uuid"]);
        Assert.Equal(values["uuid"], store.Load()["uuid"]);
    }

    [Fact]
    public void Set_validates_every_key_before_writing_anything()
    {
        var store = NewStore();
        store.Load();
        var before = File.ReadAllText(store.Path);

        var wrongType = Assert.Throws<SettingsException>(() => store.Set([new("tensorboard", "false"), new("dvc", "maybe")]));
        Assert.Equal("dvc", wrongType.Key);
        Assert.Contains("boolean", wrongType.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<SettingsException>(() => store.Set([new("tensorbord", "false")]));
        Assert.Contains("tensorbord", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<SettingsException>(() => store.Set([new("uuid", "mine")]));
        Assert.Throws<SettingsException>(() => store.Set([new("hub_url", "ftp://host")]));

        Assert.Equal(before, File.ReadAllText(store.Path));
    }

    [Fact]
    public void Writes_replace_the_file_atomically_and_leave_no_temp_files()
    {
        var store = NewStore();
        store.Load();
        store.Set([new("dvc", "true"), new("api_key", "k-123")]);
        store.Set([new("tensorboard", "off")]);

        var files = Directory.GetFiles(Path.GetDirectoryName(store.Path)!);
        Assert.Equal([store.Path], files);
        var values = store.Load();
        Assert.Equal(true, values["dvc"]);
        Assert.Equal(false, values["tensorboard"]);
        Assert.Equal("k-123", values["api_key"]);
    }

    [Fact]
    public void A_corrupt_file_is_reported_with_its_path_and_left_untouched()
    {
        var store = NewStore();
        Directory.CreateDirectory(Path.GetDirectoryName(store.Path)!);
        File.WriteAllText(store.Path, "{ \"dvc\": tru");

        var ex = Assert.Throws<SettingsException>(() => store.Load());

        Assert.Contains(store.Path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
        Assert.Equal("{ \"dvc\": tru", File.ReadAllText(store.Path));
    }

    [Theory]
    [InlineData("{\"settings_version\": \"1.1\", \"dvc\": \"yes\"}", "dvc")]
    [InlineData("{\"settings_version\": \"1.1\", \"runs_dir\": 5}", "runs_dir")]
    [InlineData("{\"settings_version\": \"1.1\", \"colour\": true}", "colour")]
    [InlineData("{\"settings_version\": \"1.1\", \"hub_url\": \"not a url\"}", "hub_url")]
    public void A_hand_broken_key_is_named_in_the_error_and_never_silently_reset(string content, string key)
    {
        var store = NewStore();
        Directory.CreateDirectory(Path.GetDirectoryName(store.Path)!);
        File.WriteAllText(store.Path, content);

        var ex = Assert.Throws<SettingsException>(() => store.Load());

        Assert.Equal(key, ex.Key);
        Assert.Equal(store.Path, ex.Path);
        Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllText(store.Path));
    }

    [Fact]
    public void An_older_file_is_migrated_keeping_the_users_values()
    {
        var store = NewStore();
        Directory.CreateDirectory(Path.GetDirectoryName(store.Path)!);
        // Version 1.0 had no hub_url and named the analytics switch and the key differently.
        File.WriteAllText(store.Path, """
            {"settings_version": "1.0", "runs_dir": "/data/runs", "tensorboard": false,
             "analytics": true, "hub_api_key": "secret", "uuid": "0123456789abcdef0123456789abcdef"}
            """);

        var values = store.Load();

        Assert.Equal("/data/runs", values["runs_dir"]);
        Assert.Equal(false, values["tensorboard"]);
        Assert.Equal(true, values["sync"]);
        Assert.Equal("secret", values["api_key"]);
        Assert.Equal("0123456789abcdef0123456789abcdef", values["uuid"]);
        Assert.Equal("http://127.0.0.1:8484", values["hub_url"]);
        var written = JsonNode.Parse(File.ReadAllText(store.Path))!.AsObject();
        Assert.Equal(SettingsSchema.CurrentVersion, written["settings_version"]!.GetValue<string>());
        Assert.False(written.ContainsKey("analytics"));
        Assert.Equal("secret", written["api_key"]!.GetValue<string>());
    }

    [Fact]
    public void Reset_restores_defaults()
    {
        var store = NewStore();
        store.Set([new("dvc", "true"), new("runs_dir", "elsewhere")]);

        var values = store.Reset();

        Assert.Equal(false, values["dvc"]);
        Assert.Equal("runs", values["runs_dir"]);
        Assert.Equal(false, store.Load()["dvc"]);
    }

    [Fact]
    public void The_config_directory_follows_STEPWISE_CONFIG_DIR_then_XDG()
    {
        Assert.Equal(Path.Combine("/cfg", "settings.json"), SettingsStore.DefaultPath(n => n == "STEPWISE_CONFIG_DIR" ? "/cfg" : null));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(Path.Combine("/xdg", "stepwise", "settings.json"), SettingsStore.DefaultPath(n => n == "XDG_CONFIG_HOME" ? "/xdg" : null));
        }
    }
}
