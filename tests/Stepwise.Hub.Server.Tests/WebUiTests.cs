using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Playwright;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

/// <summary>The web UI in headless Chromium against a real server.</summary>
public sealed class WebUiTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private TestHub _hub = null!;
    private string _project = null!;
    private RunDto _running = null!;
    private RunDto _finished = null!;
    private byte[] _checkpoint = null!;

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync();
        _project = TestHub.NewProject();
        await (await _hub.Admin.PostJsonAsync(HubRoutes.Projects, new CreateProjectRequest(_project))).ReadAsync<ProjectDto>(HttpStatusCode.Created);
        _finished = await _hub.CreateRunAsync(_project, request: new CreateRunRequest("baseline-run", "classify", PrimaryMetric: "val/accuracy"));
        await PostAsync(_finished.Id, 20, offset: 0.1);
        await (await _hub.Admin.PatchAsync(HubRoutes.Run(_finished.Id), new StringContent("{\"status\":\"finished\"}", System.Text.Encoding.UTF8, "application/json"))).ReadAsync<RunDto>();
        _hub.Clock.Advance(TimeSpan.FromSeconds(5));
        _running = await _hub.CreateRunAsync(_project, request: new CreateRunRequest(
            "live-run", "classify", new Dictionary<string, JsonElement> { ["epochs"] = JsonSerializer.SerializeToElement(30) }, PrimaryMetric: "val/accuracy"));
        await PostAsync(_running.Id, 12, offset: 0);
        await (await _hub.Admin.PutAsJsonAsyncHub(HubRoutes.Params(_running.Id), new ParamsDto(new Dictionary<string, JsonElement> { ["lr0"] = JsonSerializer.SerializeToElement(0.0125) }))).ReadAsync<ParamsDto>();
        _checkpoint = RandomNumberGenerator.GetBytes(70_000);
        var upload = new ByteArrayContent(_checkpoint);
        upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var sha = Convert.ToHexStringLower(SHA256.HashData(_checkpoint));
        await (await _hub.Admin.PostAsync(HubRoutes.Checkpoints(_running.Id) + $"?kind=best&epoch=11&name=best.safetensors&sha256={sha}&size={_checkpoint.Length}", upload))
            .ReadAsync<CheckpointDto>(HttpStatusCode.Created);
    }

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    private async Task PostAsync(string runId, int steps, double offset)
    {
        var points = Enumerable.Range(0, steps).Select(i => new MetricPoint(i, i, new Dictionary<string, double>
        {
            ["train/loss"] = 2.0 / (i + 1),
            ["val/loss"] = 2.2 / (i + 1),
            ["val/accuracy"] = Math.Min(0.99, (0.3 + (i * 0.05)) + offset),
        })).ToList();
        await (await _hub.Admin.PostJsonAsync(HubRoutes.Metrics(runId), new MetricsBatchRequest(points))).ReadAsync<MetricsBatchResponse>();
    }

    private async Task<IPage> SignedInPageAsync(string? key = null)
    {
        var context = await browser.Instance.NewContextAsync(new BrowserNewContextOptions { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(_hub.BaseAddress.ToString());
        await page.FillAsync("#api-key", key ?? _hub.AdminKey);
        await page.ClickAsync("#login-form button[type=submit]");
        await page.WaitForSelectorAsync("#runs tbody tr");
        return page;
    }

    [Fact]
    public async Task Without_a_key_the_page_shows_only_the_sign_in_form_and_a_wrong_key_is_refused()
    {
        var context = await browser.Instance.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(_hub.BaseAddress.ToString());
        await page.WaitForSelectorAsync("#login:not([hidden])");
        Assert.False(await page.IsVisibleAsync("#view"));
        Assert.DoesNotContain("live-run", await page.ContentAsync(), StringComparison.Ordinal);

        await page.FillAsync("#api-key", "swk_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        await page.ClickAsync("#login-form button[type=submit]");
        await page.WaitForFunctionAsync("document.getElementById('login-error').textContent.length > 0");
        Assert.Contains("refused", await page.TextContentAsync("#login-error"), StringComparison.Ordinal);
        Assert.False(await page.IsVisibleAsync("#view"));
        await context.CloseAsync();
    }

    [Fact]
    public async Task Signed_in_the_runs_list_shows_projects_names_statuses_and_best_metrics()
    {
        var page = await SignedInPageAsync();
        var rows = page.Locator("#runs tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Equal("live-run", await rows.Nth(0).Locator("td a").TextContentAsync());
        Assert.Equal(_project, await rows.Nth(0).Locator("td").Nth(1).TextContentAsync());
        Assert.Equal("running", await rows.Nth(0).Locator("[data-status]").GetAttributeAsync("data-status"));
        Assert.Equal("finished", await rows.Nth(1).Locator("[data-status]").GetAttributeAsync("data-status"));
        Assert.Contains("val/accuracy 0.85", await rows.Nth(0).TextContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_run_page_draws_every_point_shows_params_downloads_the_checkpoint_and_stops_the_run()
    {
        var page = await SignedInPageAsync();
        await page.ClickAsync("text=live-run");
        await page.WaitForSelectorAsync("[data-chart=loss] polyline");
        Assert.Equal("live-run", await page.TextContentAsync("#run-name"));

        var loss = page.Locator("[data-chart=loss] polyline");
        Assert.Equal(2, await loss.CountAsync());
        Assert.Equal(["train/loss", "val/loss"], new[] { await loss.Nth(0).GetAttributeAsync("data-series") ?? "", await loss.Nth(1).GetAttributeAsync("data-series") ?? "" });
        var points = (await loss.Nth(0).GetAttributeAsync("points"))!.Split(' ');
        Assert.Equal(12, points.Length);
        var ys = points.Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(ys[0] < ys[^1], "a falling loss is drawn from high (small y) to low (large y)");

        Assert.Contains("0.0125", await page.TextContentAsync("#params"), StringComparison.Ordinal);
        Assert.Contains("epochs", await page.TextContentAsync("#params"), StringComparison.Ordinal);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#checkpoints button.download"));
        Assert.Equal("best.safetensors", download.SuggestedFilename);
        var saved = Path.Combine(TestHub.NewTempDir(), "download.bin");
        await download.SaveAsAsync(saved);
        Assert.Equal(_checkpoint, await File.ReadAllBytesAsync(saved));

        await page.ClickAsync("#stop");
        await page.WaitForSelectorAsync("#stop:disabled >> text=Stop requested");
        var run = await (await _hub.Admin.GetAsync(HubRoutes.Run(_running.Id))).ReadAsync<RunDto>();
        Assert.True(run.StopRequested);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_run_page_updates_live_and_switches_to_a_log_scale_and_zooms()
    {
        var page = await SignedInPageAsync();
        await page.GotoAsync(_hub.BaseAddress + $"#/run/{_running.Id}");
        await page.WaitForSelectorAsync("[data-chart=accuracy] polyline[data-count='12']");

        var more = Enumerable.Range(12, 3).Select(i => new MetricPoint(i, i, new Dictionary<string, double> { ["val/accuracy"] = 0.9 })).ToList();
        await (await _hub.Admin.PostJsonAsync(HubRoutes.Metrics(_running.Id), new MetricsBatchRequest(more))).ReadAsync<MetricsBatchResponse>();
        await page.WaitForSelectorAsync("[data-chart=accuracy] polyline[data-count='15']", new PageWaitForSelectorOptions { Timeout = 15_000 });

        await page.CheckAsync("#log-scale");
        await page.WaitForSelectorAsync("[data-chart=loss] svg[data-log=true]");

        var svg = page.Locator("[data-chart=loss] svg");
        var box = (await svg.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.5f), box.Y + (box.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (box.Width * 0.9f), box.Y + (box.Height / 2), new MouseMoveOptions { Steps = 5 });
        await page.Mouse.UpAsync();
        await page.WaitForSelectorAsync("[data-chart=loss] svg[data-zoomed=true]");
        var zoomed = int.Parse((await page.Locator("[data-chart=loss] polyline").First.GetAttributeAsync("data-count"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(zoomed, 1, 11);
        await svg.DblClickAsync();
        await page.WaitForSelectorAsync("[data-chart=loss] svg[data-zoomed=false]");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_compare_view_overlays_one_metric_from_the_chosen_runs()
    {
        var page = await SignedInPageAsync();
        await page.CheckAsync($"#runs tr[data-run='{_running.Id}'] input");
        await page.CheckAsync($"#runs tr[data-run='{_finished.Id}'] input");
        await page.ClickAsync("#compare-selected");
        await page.WaitForSelectorAsync("#compare-metric");
        await page.SelectOptionAsync("#compare-metric", "val/accuracy");
        await page.WaitForSelectorAsync("[data-chart=compare] polyline[data-series='baseline-run']");
        var lines = page.Locator("[data-chart=compare] polyline");
        Assert.Equal(2, await lines.CountAsync());
        var counts = new[] { await lines.Nth(0).GetAttributeAsync("data-count") ?? "", await lines.Nth(1).GetAttributeAsync("data-count") ?? "" };
        Assert.Equal(["12", "20"], counts.Order());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_run_page_shows_the_latest_image_of_each_name()
    {
        var png = Stepwise.Imaging.Png.Encode(new Stepwise.Imaging.RasterImage(24, 16, 3));
        foreach (var step in (long[])[1, 3])
        {
            var content = new ByteArrayContent(png);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
            var put = await _hub.Admin.PutAsync($"{HubRoutes.Run(_running.Id)}/images/content?name=samples%2Fgrid.png&step={step}", content);
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync());
        }

        var page = await SignedInPageAsync();
        await page.GotoAsync(_hub.BaseAddress + $"#/run/{_running.Id}");
        var image = page.Locator("[data-image='samples/grid.png'] img");
        await image.WaitForAsync();
        await page.WaitForFunctionAsync("document.querySelector(\"[data-image='samples/grid.png'] img\").naturalWidth === 24");
        Assert.Equal("samples/grid.png · step 3", await page.Locator("[data-image='samples/grid.png'] figcaption").TextContentAsync());
        Assert.Equal(1, await page.Locator("#images figure").CountAsync());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_read_key_sees_its_project_but_gets_no_stop_button()
    {
        var (_, reader) = await _hub.CreateKeyAsync(KeyScope.Read, _project);
        var page = await SignedInPageAsync(reader);
        Assert.Contains("(read · " + _project + ")", await page.TextContentAsync("#who"), StringComparison.Ordinal);
        await page.ClickAsync("text=live-run");
        await page.WaitForSelectorAsync("#stop");
        Assert.True(await page.IsDisabledAsync("#stop"));
        await page.Context.CloseAsync();
    }
}
