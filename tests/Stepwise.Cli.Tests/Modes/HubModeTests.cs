using System.Text.RegularExpressions;
using Stepwise.Cli.Modes;
using Stepwise.Cli.Tests.Support;
using Stepwise.Settings;

namespace Stepwise.Cli.Tests.Modes;

public sealed partial class HubModeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "stepwise-cli-hub-" + Guid.NewGuid().ToString("N"));

    public HubModeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string DataDir => Path.Combine(_dir, "hub");

    [Fact]
    public async Task Keys_create_list_and_revoke_work_on_the_data_dir_and_print_the_secret_once()
    {
        var created = await CliProcess.RunAsync(_dir, ["hub", "keys", "create", "name=ci", "scope=write", "project=shapes", $"data_dir={DataDir}"]);
        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("New hub storage: created the admin API key", created.Out, StringComparison.Ordinal);
        var secrets = KeyText().Matches(created.Out).Select(m => m.Value).ToList();
        Assert.Equal(2, secrets.Count);
        var id = secrets[1].Split('_')[1];
        Assert.Contains($"(id {id}) for project 'shapes'", created.Out, StringComparison.Ordinal);

        var list = await CliProcess.RunAsync(_dir, ["hub", "keys", "list", $"--data-dir={DataDir}"]);
        Assert.Equal(0, list.ExitCode);
        Assert.DoesNotContain("New hub storage", list.Out, StringComparison.Ordinal);
        Assert.Matches($@"{id}\s+write\s+shapes\s+\d{{4}}-\d\d-\d\d \d\d:\d\d\s+-\s+ci", list.Out);
        Assert.Matches(@"\s+admin\s+-\s+", list.Out);
        Assert.Empty(KeyText().Matches(list.Out));

        var revoked = await CliProcess.RunAsync(_dir, ["hub", "keys", "revoke", id, $"data_dir={DataDir}"]);
        Assert.Equal(0, revoked.ExitCode);
        var after = await CliProcess.RunAsync(_dir, ["hub", "keys", "list", $"data_dir={DataDir}"]);
        Assert.DoesNotMatch($@"{id}\s+write\s+shapes\s+\S+ \S+\s+-\s+ci", after.Out);

        var unknown = await CliProcess.RunAsync(_dir, ["hub", "keys", "revoke", "ffffffffffff", $"data_dir={DataDir}"]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no key with id 'ffffffffffff'", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_create_with_a_bad_field_exits_2_naming_it()
    {
        var result = await CliProcess.RunAsync(_dir, ["hub", "keys", "create", "name=ci", "scope=write", $"data_dir={DataDir}"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("project", result.Error, StringComparison.Ordinal);
        var scope = await CliProcess.RunAsync(_dir, ["hub", "keys", "create", "name=ci", "scope=owner", $"data_dir={DataDir}"]);
        Assert.Equal(2, scope.ExitCode);
        Assert.Contains("'scope'", scope.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_prints_the_admin_key_once_answers_health_and_stops_on_cancel()
    {
        using var output = new LineSignalWriter(Listening());
        using var errors = new StringWriter();
        using var cancel = new CancellationTokenSource();
        var context = new CliContext(output, errors, false, TimeProvider.System, new SettingsStore(Path.Combine(_dir, "settings.json")), cancel.Token);
        var args = CliArguments.Parse(["serve", "--urls", "http://127.0.0.1:0", $"data_dir={DataDir}", "log_level=warning"]);
        var serving = new HubMode().RunAsync(args, context);

        var first = await Task.WhenAny(output.Matched, serving).WaitAsync(TimeSpan.FromSeconds(60));
        Uri? address = first == output.Matched ? new Uri(Listening().Match(await output.Matched).Groups[1].Value) : null;
        Assert.True(address is not null, output + errors.ToString());
        using (var http = new HttpClient { BaseAddress = address })
        {
            Assert.Equal("ok", await http.GetStringAsync("/healthz"));
        }

        Assert.Single(KeyText().Matches(output.ToString()));
        await cancel.CancelAsync();
        Assert.Equal(0, await serving);
        Assert.Contains("Stepwise Hub stopped.", output.ToString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(DataDir, "hub.db")));
        Assert.True(Directory.Exists(Path.Combine(DataDir, "blobs")));
    }

    [Fact]
    public async Task Unknown_commands_and_arguments_exit_2()
    {
        var nothing = await CliProcess.RunAsync(_dir, ["hub"]);
        Assert.Equal(2, nothing.ExitCode);
        Assert.Contains("serve or keys", nothing.Error, StringComparison.Ordinal);
        var typo = await CliProcess.RunAsync(_dir, ["hub", "serve", "--data-dri", DataDir]);
        Assert.Equal(2, typo.ExitCode);
        Assert.Contains("data_dir", typo.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataDir));
    }

    [Fact]
    public async Task Help_lists_serve_keys_and_the_storage_options()
    {
        var help = await CliProcess.RunAsync(_dir, ["hub", "--help"]);
        Assert.Equal(0, help.ExitCode);
        foreach (var word in (string[])["stepwise hub serve", "stepwise hub keys create", "data_dir", "db", "urls", "PostgreSQL"])
        {
            Assert.Contains(word, help.Out, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"swk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyText();

    [GeneratedRegex(@"Stepwise Hub on (http://127\.0\.0\.1:\d+)/?")]
    private static partial Regex Listening();

    /// <summary>Collects output and completes <see cref="Matched"/> with the first line matching a pattern.</summary>
    private sealed class LineSignalWriter(Regex pattern) : StringWriter
    {
        private readonly TaskCompletionSource<string> _matched = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<string> Matched => _matched.Task;

        public override void WriteLine(string? value)
        {
            lock (this)
            {
                base.WriteLine(value);
            }

            if (value is not null && pattern.IsMatch(value))
            {
                _matched.TrySetResult(value);
            }
        }

        public override string ToString()
        {
            lock (this)
            {
                return base.ToString();
            }
        }
    }
}
