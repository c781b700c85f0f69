using System.Net;
using Stepwise.Hub.Contracts;
using Stepwise.Hub.Server.Tests.Support;

namespace Stepwise.Hub.Server.Tests;

public sealed class ProjectEndpointsTests(HubServers servers) : IClassFixture<HubServers>
{
    [Theory]
    [InlineData(TestHub.Sqlite)]
    [PostgresData]
    public async Task An_admin_creates_a_project_once_and_a_second_create_conflicts(string backend)
    {
        var hub = await servers.GetAsync(backend);
        var name = TestHub.NewProject();
        var created = await (await hub.Admin.PostJsonAsync(HubRoutes.Projects, new CreateProjectRequest(name, "Shapes experiments"))).ReadAsync<ProjectDto>(HttpStatusCode.Created);
        Assert.Equal(new ProjectDto(name, "Shapes experiments", hub.Clock.GetUtcNow(), 0), created);
        await (await hub.Admin.PostJsonAsync(HubRoutes.Projects, new CreateProjectRequest(name))).ProblemAsync(HttpStatusCode.Conflict, "name");
        Assert.Equal(created, await (await hub.Admin.GetAsync(HubRoutes.Project(name))).ReadAsync<ProjectDto>());
        Assert.Contains(created, await (await hub.Admin.GetAsync(HubRoutes.Projects)).ReadAsync<List<ProjectDto>>());
    }

    [Fact]
    public async Task A_project_key_lists_only_its_project_and_cannot_create_projects()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        var mine = TestHub.NewProject();
        await hub.CreateRunAsync(TestHub.NewProject());
        var (_, key) = await hub.CreateKeyAsync(KeyScope.Write, mine);
        var client = hub.Client(key);
        var list = await (await client.GetAsync(HubRoutes.Projects)).ReadAsync<List<ProjectDto>>();
        Assert.Equal([mine], list.Select(p => p.Name));
        await (await client.PostJsonAsync(HubRoutes.Projects, new CreateProjectRequest(TestHub.NewProject()))).ProblemAsync(HttpStatusCode.Forbidden);
        await (await client.GetAsync(HubRoutes.Project(TestHub.NewProject()))).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("{\"name\": \"Upper\"}", "name")]
    [InlineData("{\"name\": \"../x\"}", "name")]
    [InlineData("{}", "name")]
    [InlineData("{\"name\": \"ok\", \"description\": 7}", "description")]
    public async Task A_bad_project_body_gets_400_naming_the_field(string json, string field)
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        await (await hub.Admin.PostRawJsonAsync(HubRoutes.Projects, json)).ProblemAsync(HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task An_unknown_project_gets_404()
    {
        var hub = await servers.GetAsync(TestHub.Sqlite);
        await (await hub.Admin.GetAsync(HubRoutes.Project(TestHub.NewProject()))).ProblemAsync(HttpStatusCode.NotFound, "project");
    }
}
