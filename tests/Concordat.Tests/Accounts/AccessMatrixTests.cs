using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Templates;
using Concordat.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Accounts;

/// <summary>Who is asking in the matrix: each kind of person the visibility rules tell apart.</summary>
public enum Who { Anonymous, NoOrganisation, MemberOfOther, MemberOfParty, EditorOfParty, EditorOfLead, EditorOfOther, AdministratorOfLead, FrameworkAdministrator }

/// <summary>The agreements of the matrix: London Fire Brigade leads, Camden is party, Hackney is neither.</summary>
public enum Kind { Public, Partners, PartiesOnly, Draft }

/// <summary>
/// One person of each kind the rules tell apart, each with a signed-in page client and an API client. London Fire
/// Brigade leads the agreements the matrices make, Camden is party, Hackney is neither.
/// </summary>
public abstract class MatrixPeople : ConcordatFactory, IAsyncLifetime
{
    public const string Lead = "London Fire Brigade", Party = "London Borough of Camden", Other = "London Borough of Hackney";
    public const string LeadAdminKey = "MATRIXLEADADMINKEY234567ABCDEFGH";

    public Dictionary<Who, HttpClient> Pages { get; } = [];
    public Dictionary<Who, HttpClient> Api { get; } = [];
    public int LeadId { get; private set; }
    public int PartyId { get; private set; }
    public int OtherId { get; private set; }

    public static string Email(Who who) => $"{who.ToString().ToLowerInvariant()}@matrix.example";

    public async Task InitializeAsync()
    {
        (LeadId, PartyId, OtherId) = (await OrganisationIdAsync(Lead), await OrganisationIdAsync(Party), await OrganisationIdAsync(Other));
        await AddPersonAsync(Email(Who.MemberOfOther), Other);
        await AddPersonAsync(Email(Who.MemberOfParty), Party);
        await AddPersonAsync(Email(Who.EditorOfParty), Party, OrganisationRole.Editor);
        await AddPersonAsync(Email(Who.EditorOfLead), Lead, OrganisationRole.Editor);
        await AddPersonAsync(Email(Who.EditorOfOther), Other, OrganisationRole.Editor);
        await AddPersonAsync(Email(Who.AdministratorOfLead), Lead, OrganisationRole.Administrator, LeadAdminKey);
        await AddAccountWithoutOrganisationAsync(Email(Who.NoOrganisation));
        foreach (var who in Enum.GetValues<Who>())
        {
            (Pages[who], Api[who]) = who switch
            {
                Who.Anonymous => (CreateClient(new() { AllowAutoRedirect = false }), CreateClient()),
                Who.FrameworkAdministrator => (await this.SignedInClientAsync(), await AdminApiAsync()),
                _ => (await SignInAsync(Email(who), who == Who.AdministratorOfLead ? LeadAdminKey : null),
                      await PersonApiAsync(Email(who), who == Who.AdministratorOfLead ? LeadAdminKey : null)),
            };
        }
        await AddAgreementsAsync(await AdminApiAsync());
    }

    /// <summary>The agreements the matrix probes, made by the framework administrator.</summary>
    protected abstract Task AddAgreementsAsync(HttpClient admin);

    /// <summary>Uploads a file to an agreement as a client; returns the version's and the file's ids.</summary>
    public static async Task<(int VersionId, int FileId)> AddFileAsync(HttpClient client, int agreementId, string kind, string? visibility, string text)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(kind), "kind");
        if (visibility is not null) form.Add(new StringContent(visibility), "visibility");
        form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text)), "file", "file.txt");
        var response = await client.PostAsync($"/api/v1/agreements/{agreementId}/documents", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var document = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (document["id"]!.GetValue<int>(), document["fileId"]!.GetValue<int>());
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

/// <summary>The agreements of the access matrix: one of each visibility, the public one carrying files of every visibility, and a draft.</summary>
public sealed class AccessWorld : MatrixPeople
{
    public Dictionary<Kind, int> Agreements { get; } = [];
    public Dictionary<Kind, object> Records { get; } = [];
    /// <summary>File version ids with the visibility the file was given (null: as its agreement).</summary>
    public List<(Kind Agreement, string? Visibility, int VersionId, int FileId)> Files { get; } = [];
    public int TemplateId { get; private set; }
    public int EditorOfLeadMembership { get; private set; }

    protected override async Task AddAgreementsAsync(HttpClient admin)
    {
        await using (var scope = Services.CreateAsyncScope())
            TemplateId = await scope.ServiceProvider.GetRequiredService<ConcordatDb>().Templates.Select(t => t.Id).FirstAsync();
        EditorOfLeadMembership = await MembershipIdAsync(Email(Who.EditorOfLead), LeadId);
        foreach (var (kind, visibility) in new[] { (Kind.Public, "public"), (Kind.Partners, "partners"), (Kind.PartiesOnly, "parties-only") })
        {
            var record = await CompleteRecordAsync($"Matrix {kind} agreement", Lead, Party);
            var body = JsonSerializer.SerializeToNode(record, Json)!.AsObject();
            body["visibility"] = visibility;
            Records[kind] = body;
            var id = (await CreateAgreementAsync(admin, body))["id"]!.GetValue<int>();
            Agreements[kind] = id;
            await AddFileAsync(admin, kind, id, null);
            (await admin.PostAsync($"/api/v1/agreements/{id}/publish", null)).EnsureSuccessStatusCode();
        }
        await AddFileAsync(admin, Kind.Public, Agreements[Kind.Public], "partners");
        await AddFileAsync(admin, Kind.Public, Agreements[Kind.Public], "parties-only");
        // A draft that is not complete, so publishing it is refused on its merits to those allowed to try.
        var draft = new JsonObject { ["title"] = "Matrix draft agreement", ["leadOrganisationId"] = LeadId };
        Records[Kind.Draft] = draft;
        Agreements[Kind.Draft] = (await CreateAgreementAsync(admin, draft))["id"]!.GetValue<int>();
        await AddFileAsync(admin, Kind.Draft, Agreements[Kind.Draft], null);
    }

    async Task AddFileAsync(HttpClient admin, Kind kind, int id, string? visibility)
    {
        var (versionId, fileId) = await AddFileAsync(admin, id, visibility is null ? "agreement" : "appendix", visibility, $"{kind} agreement file for {visibility ?? "its agreement's readers"}");
        Files.Add((kind, visibility, versionId, fileId));
    }

    async Task<int> MembershipIdAsync(string email, int organisationId)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Concordat.Data.ConcordatDb>();
        return (from m in db.Memberships join u in db.Users on m.UserId equals u.Id
                where u.Email == email && m.OrganisationId == organisationId select m.Id).Single();
    }
}

/// <summary>
/// Walks every route of the app with every kind of person against agreements of every visibility and
/// asserts who gets what. A route that is not in the matrix fails <see cref="Every_route_is_in_the_matrix"/>,
/// so a new way in cannot skip the rules.
/// </summary>
public sealed class AccessMatrixTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    static readonly Who[] Everyone = Enum.GetValues<Who>();
    static readonly Who[] SignedIn = Everyone.Where(w => w != Who.Anonymous).ToArray();

    // ---- The rules, written out independently of the app's code ----

    static bool Sees(Who who, Kind kind) => who == Who.FrameworkAdministrator || kind switch
    {
        Kind.Public => true,
        Kind.Partners => who is not (Who.Anonymous or Who.NoOrganisation),
        Kind.PartiesOnly => IsPartyPerson(who),
        _ => who == Who.EditorOfLead,
    };

    static bool IsPartyPerson(Who who) => who is Who.MemberOfParty or Who.EditorOfParty or Who.EditorOfLead or Who.AdministratorOfLead;

    static bool SeesFile(Who who, Kind kind, string? visibility) => Sees(who, kind) && (who == Who.FrameworkAdministrator || visibility switch
    {
        "partners" => who is not (Who.Anonymous or Who.NoOrganisation),
        "parties-only" => IsPartyPerson(who),
        _ => true,
    });

    static bool Edits(Who who, Kind kind) => who == Who.FrameworkAdministrator || who == Who.EditorOfLead || (kind != Kind.Draft && who == Who.EditorOfParty);

    static bool Publishes(Who who) => who is Who.FrameworkAdministrator or Who.EditorOfLead;

    static bool IsEditor(Who who) => who is Who.EditorOfLead or Who.EditorOfParty or Who.EditorOfOther or Who.FrameworkAdministrator;

    /// <summary>The statuses a change answers: allowed, seen but refused (403), unseen (404), and 401/302 for nobody.</summary>
    static HttpStatusCode Change(Who who, Kind kind, bool allowed, HttpStatusCode success, bool api) =>
        who == Who.Anonymous ? (api ? HttpStatusCode.Unauthorized : HttpStatusCode.Redirect)
        : allowed ? success : Sees(who, kind) ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;

    // ---- Every route, with how it is probed ----

    Dictionary<string, Func<Task>> Matrix => new()
    {
        ["GET /"] = () => HomeCountsAsync(),
        ["GET agreements"] = () => ListedOnPageAsync("/agreements"),
        ["GET agreements/{id:int}"] = () => EachAgreementAsync(Pages, "/agreements/{id}", (who, kind) => Sees(who, kind) ? HttpStatusCode.OK : HttpStatusCode.NotFound),
        ["GET agreements/{id:int}/edit"] = () => EachAgreementAsync(Pages, "/agreements/{id}/edit", (who, kind) => Change(who, kind, Edits(who, kind), HttpStatusCode.OK, api: false)),
        ["GET agreements/{id:int}/files/new"] = () => EachAgreementAsync(Pages, "/agreements/{id}/files/new", (who, kind) => Change(who, kind, Edits(who, kind), HttpStatusCode.OK, api: false)),
        ["GET agreements/{id:int}/sign-off"] = () => EachAgreementAsync(Pages, "/agreements/{id}/sign-off",
            (who, kind) => who == Who.Anonymous ? HttpStatusCode.Redirect : Sees(who, kind) ? HttpStatusCode.OK : HttpStatusCode.NotFound),
        // None of these agreements was drafted from a template: who sees a departure and who reaches a draft is tested in DraftRevisionTests.
        ["GET agreements/{id:int}/departures"] = () => EachAgreementAsync(Pages, "/agreements/{id}/departures", (_, _) => HttpStatusCode.NotFound),
        ["GET agreements/{id:int}/draft"] = () => EachAgreementAsync(Pages, "/agreements/{id}/draft", (who, _) => who == Who.Anonymous ? HttpStatusCode.Redirect : HttpStatusCode.NotFound),
        ["GET agreements/new"] = () => EachPersonAsync(Pages, "/agreements/new", who => who == Who.Anonymous ? HttpStatusCode.Redirect : IsEditor(who) ? HttpStatusCode.OK : HttpStatusCode.Forbidden),
        ["GET files/{id:int}"] = () => EachFileAsync(Pages, "/files/{id}"),
        ["GET files/{id:int}/text"] = () => EachFileAsync(Pages, "/files/{id}/text"),
        ["GET organisations"] = () => OrganisationCountsAsync(),
        ["GET organisations/{id:int}"] = () => PortfolioAsync(),
        ["GET organisations/{id:int}/people"] = () => EachPersonAsync(Pages, $"/organisations/{world.LeadId}/people",
            who => who == Who.Anonymous ? HttpStatusCode.Redirect : who is Who.EditorOfLead or Who.AdministratorOfLead or Who.FrameworkAdministrator ? HttpStatusCode.OK : HttpStatusCode.Forbidden),
        ["GET organisations/{id:int}/people/{membershipId:int}"] = () => EachPersonAsync(Pages, $"/organisations/{world.LeadId}/people/{world.EditorOfLeadMembership}", OrganisationAdministratorsOnly),
        ["GET organisations/{id:int}/assurance"] = () => EachPersonAsync(Pages, $"/organisations/{world.LeadId}/assurance", OrganisationAdministratorsOnly),
        ["GET organisations/new"] = () => EachPersonAsync(Pages, "/organisations/new", FrameworkAdministratorsOnly),
        ["GET organisations/{id:int}/details"] = () => EachPersonAsync(Pages, $"/organisations/{world.LeadId}/details", FrameworkAdministratorsOnly),
        ["GET organisations/{id:int}/merge"] = () => EachPersonAsync(Pages, $"/organisations/{world.LeadId}/merge", FrameworkAdministratorsOnly),
        ["GET invitations/{secret}"] = () => EachPersonAsync(Pages, "/invitations/not-a-real-invitation", _ => HttpStatusCode.NotFound),
        ["GET people"] = () => EachPersonAsync(Pages, "/people", FrameworkAdministratorsOnly),
        ["GET audit"] = () => EachPersonAsync(Pages, "/audit", FrameworkAdministratorsOnly),
        ["GET account"] = () => EachPersonAsync(Pages, "/account", SignedInOnly),
        ["GET account/tokens"] = () => EachPersonAsync(Pages, "/account/tokens", SignedInOnly),
        ["GET sign-in"] = () => EachPersonAsync(Pages, "/sign-in", _ => HttpStatusCode.OK),
        ["GET account/two-step"] = () => EachPersonAsync(Pages, "/account/two-step", SignedInOnly),
        // The second step only follows a right password; opened directly, it sends the person back to sign in.
        ["GET sign-in/two-step"] = () => EachPersonAsync(Pages, "/sign-in/two-step", _ => HttpStatusCode.Redirect),
        ["GET sign-in/recovery-code"] = () => EachPersonAsync(Pages, "/sign-in/recovery-code", _ => HttpStatusCode.Redirect),
        ["GET sign-in/forgot-password"] = () => EachPersonAsync(Pages, "/sign-in/forgot-password", _ => HttpStatusCode.OK),
        // Without its email and token the reset page has nothing to show.
        ["GET sign-in/reset-password"] = () => EachPersonAsync(Pages, "/sign-in/reset-password", _ => HttpStatusCode.NotFound),
        ["GET sign-in/external"] = () => EachPersonAsync(Pages, "/sign-in/external", _ => HttpStatusCode.Redirect),
        ["GET sign-out"] = () => EachPersonAsync(Pages, "/sign-out", _ => HttpStatusCode.Redirect),
        ["GET developers"] = () => EachPersonAsync(Pages, "/developers", _ => HttpStatusCode.OK),
        ["GET error/{code:int}"] = () => EachPersonAsync(Pages, "/error/404", _ => HttpStatusCode.NotFound),
        ["GET openapi/{documentName}.json"] = () => EachPersonAsync(Api, "/openapi/v1.json", _ => HttpStatusCode.OK),

        ["GET export/agreements.{format}"] = () => ExportedAsync(Pages, "/export/agreements.csv", who => Expected(who)),
        ["GET api/v1/export/agreements.{format}"] = () => ExportedAsync(Api, "/api/v1/export/agreements.jsonl", who => Expected(who)),
        // Feed readers and catalogues are anonymous: the feed holds public agreements whoever asks.
        ["GET feeds/agreements.atom"] = () => ExportedAsync(Pages, "/feeds/agreements.atom", _ => [Kind.Public]),
        ["GET import"] = () => EachPersonAsync(Pages, "/import", who => who == Who.Anonymous ? HttpStatusCode.Redirect : IsEditor(who) ? HttpStatusCode.OK : HttpStatusCode.Forbidden),
        // Only the person who started an import sees its page (tested in ImportPageTests); nobody here started this one.
        ["GET import/jobs/{id:guid}"] = () => EachPersonAsync(Pages, $"/import/jobs/{Guid.NewGuid()}",
            who => who == Who.Anonymous ? HttpStatusCode.Redirect : HttpStatusCode.NotFound),
        ["GET import/manifest-template.csv"] = () => EachPersonAsync(Pages, "/import/manifest-template.csv", _ => HttpStatusCode.OK),
        ["GET open-data"] = () => EachPersonAsync(Pages, "/open-data", _ => HttpStatusCode.OK),
        ["GET open-data/dataset.jsonld"] = () => EachPersonAsync(Pages, "/open-data/dataset.jsonld", _ => HttpStatusCode.OK),
        // Probes for load balancers: anyone may ask, and the answer names checks, not records.
        ["GET health/live"] = () => EachPersonAsync(Pages, "/health/live", _ => HttpStatusCode.OK),
        ["GET health/ready"] = () => EachPersonAsync(Pages, "/health/ready", _ => HttpStatusCode.OK),
        // The library is public; drafts are tested in TemplateLibraryTests.
        ["GET templates"] = () => EachPersonAsync(Pages, "/templates", _ => HttpStatusCode.OK),
        ["GET templates/{id:int}"] = () => EachPersonAsync(Pages, $"/templates/{world.TemplateId}", _ => HttpStatusCode.OK),
        ["GET templates/{id:int}/edit"] = () => EachPersonAsync(Pages, $"/templates/{world.TemplateId}/edit", FrameworkAdministratorsOnly),
        ["GET templates/{id:int}/questions"] = () => EachPersonAsync(Pages, $"/templates/{world.TemplateId}/questions", FrameworkAdministratorsOnly),
        ["GET templates/{id:int}/compare"] = () => EachPersonAsync(Pages, $"/templates/{world.TemplateId}/compare?from=1&to=1", _ => HttpStatusCode.OK),
        ["GET compliance"] = () => EachPersonAsync(Pages, "/compliance", who => who == Who.Anonymous ? HttpStatusCode.Redirect : who == Who.NoOrganisation ? HttpStatusCode.Forbidden : HttpStatusCode.OK),
        // Drafts are their drafter's alone (DraftingTests); nobody here drafted number 999999.
        ["GET drafts"] = () => EachPersonAsync(Pages, "/drafts", SignedInOnly),
        ["GET drafts/new"] = () => EachPersonAsync(Pages, $"/drafts/new?template={world.TemplateId}",
            who => who == Who.Anonymous ? HttpStatusCode.Redirect : IsEditor(who) ? HttpStatusCode.OK : HttpStatusCode.Forbidden),
        ["GET drafts/{id:int}/topics/{topic:int}"] = () => EachPersonAsync(Pages, "/drafts/999999/topics/1", who => who == Who.Anonymous ? HttpStatusCode.Redirect : HttpStatusCode.NotFound),
        ["GET drafts/{id:int}/check"] = () => EachPersonAsync(Pages, "/drafts/999999/check", who => who == Who.Anonymous ? HttpStatusCode.Redirect : HttpStatusCode.NotFound),
        ["GET drafts/{id:int}/wording/{key}"] = () => EachPersonAsync(Pages, "/drafts/999999/wording/security", who => who == Who.Anonymous ? HttpStatusCode.Redirect : HttpStatusCode.NotFound),
        ["GET search"] = () => ListedOnPageAsync("/search?pageSize=100"),
        ["GET api/v1/search"] = () => SearchedByApiAsync(),
        ["GET api/v1/organisations/"] = () => EachPersonAsync(Api, "/api/v1/organisations", _ => HttpStatusCode.OK),
        ["GET api/v1/organisations/{id:int}"] = () => EachPersonAsync(Api, $"/api/v1/organisations/{world.LeadId}", _ => HttpStatusCode.OK),
        ["GET api/v1/agreements/"] = () => ListedByApiAsync(),
        ["GET api/v1/agreements/{id:int}"] = () => EachAgreementAsync(Api, "/api/v1/agreements/{id}", (who, kind) => Sees(who, kind) ? HttpStatusCode.OK : HttpStatusCode.NotFound),
        // Suggestions fill the record, so they are for those who may change all of it.
        ["GET api/v1/agreements/{id:int}/suggestions"] = () => EachAgreementAsync(Api, "/api/v1/agreements/{id}/suggestions",
            (who, kind) => Change(who, kind, Publishes(who), HttpStatusCode.OK, api: true)),
        ["PUT api/v1/agreements/{id:int}"] = () => EachAgreementAsync(Api, "/api/v1/agreements/{id}", (who, kind) => Change(who, kind, Edits(who, kind), HttpStatusCode.OK, api: true),
            kind => JsonContent.Create(world.Records[kind]), HttpMethod.Put),
        ["POST api/v1/agreements/{id:int}/publish"] = () => EachAgreementAsync(Api, "/api/v1/agreements/{id}/publish",
            (who, kind) => Change(who, kind, Publishes(who), kind == Kind.Draft ? HttpStatusCode.BadRequest : HttpStatusCode.OK, api: true), _ => null, HttpMethod.Post),
        ["POST api/v1/agreements/{id:int}/documents"] = () => EachAgreementAsync(Api, "/api/v1/agreements/{id}/documents",
            (who, kind) => Change(who, kind, Edits(who, kind), HttpStatusCode.BadRequest, api: true), _ => EmptyForm(), HttpMethod.Post),
        ["POST api/v1/agreements/{id:int}/documents/{fileId:int}/versions"] = () => EachFileAgreementAsync("/api/v1/agreements/{id}/documents/{fileId}/versions"),
        ["POST api/v1/agreements/"] = () => EachPersonAsync(Api, "/api/v1/agreements",
            who => who == Who.Anonymous ? HttpStatusCode.Unauthorized : IsEditor(who) ? HttpStatusCode.BadRequest : HttpStatusCode.Forbidden,
            () => JsonContent.Create(new { title = "", leadOrganisationId = world.LeadId }), HttpMethod.Post),
        ["GET api/v1/documents/{id:int}/content"] = () => EachFileAsync(Api, "/api/v1/documents/{id}/content"),
        ["GET api/v1/documents/{id:int}/text"] = () => EachFileAsync(Api, "/api/v1/documents/{id}/text"),
        ["POST api/v1/tokens"] = () => EachPersonAsync(Api, "/api/v1/tokens", _ => HttpStatusCode.Unauthorized,
            () => JsonContent.Create(new { email = "nobody@matrix.example", password = "not the password at all" }), HttpMethod.Post),
        ["DELETE api/v1/tokens/current"] = () => EachPersonAsync(Api, "/api/v1/tokens/current", _ => HttpStatusCode.Unauthorized, null, HttpMethod.Delete, only: [Who.Anonymous]),
    };

    static HttpStatusCode SignedInOnly(Who who) => who == Who.Anonymous ? HttpStatusCode.Redirect : HttpStatusCode.OK;

    static HttpStatusCode FrameworkAdministratorsOnly(Who who) =>
        who == Who.Anonymous ? HttpStatusCode.Redirect : who == Who.FrameworkAdministrator ? HttpStatusCode.OK : HttpStatusCode.Forbidden;

    static HttpStatusCode OrganisationAdministratorsOnly(Who who) =>
        who == Who.Anonymous ? HttpStatusCode.Redirect : who is Who.AdministratorOfLead or Who.FrameworkAdministrator ? HttpStatusCode.OK : HttpStatusCode.Forbidden;

    Dictionary<Who, HttpClient> Pages => world.Pages;
    Dictionary<Who, HttpClient> Api => world.Api;

    [Fact]
    public void Every_route_is_in_the_matrix()
    {
        var routes = world.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {e.RoutePattern.RawText?.TrimStart('/')}".TrimEnd()))
            .Select(r => r == "GET" ? "GET /" : r)
            .Distinct().Order().ToList();
        var missing = routes.Where(r => !Matrix.ContainsKey(r)).ToList();
        Assert.True(missing.Count == 0, "Routes not in the access matrix (add them with who may do what):\n" + string.Join("\n", missing));
        var stale = Matrix.Keys.Where(k => !routes.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "Matrix entries for routes that no longer exist:\n" + string.Join("\n", stale));
    }

    public static IEnumerable<object[]> Routes() => new AccessMatrixTests(null!).MatrixKeys().Select(k => new object[] { k });

    IEnumerable<string> MatrixKeys() => Matrix.Keys;

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Each_route_answers_each_person_as_the_rules_say(string route) => await Matrix[route]();

    // ---- Probes ----

    async Task EachPersonAsync(Dictionary<Who, HttpClient> clients, string url, Func<Who, HttpStatusCode> expected,
        Func<HttpContent?>? body = null, HttpMethod? method = null, Who[]? only = null)
    {
        var wrong = new List<string>();
        foreach (var who in only ?? Everyone)
        {
            using var request = new HttpRequestMessage(method ?? HttpMethod.Get, url) { Content = body?.Invoke() };
            var response = await clients[who].SendAsync(request);
            if (response.StatusCode != expected(who)) wrong.Add($"{who}: {(int)response.StatusCode}, expected {(int)expected(who)}");
        }
        Assert.True(wrong.Count == 0, $"{method ?? HttpMethod.Get} {url}\n" + string.Join("\n", wrong));
    }

    async Task EachAgreementAsync(Dictionary<Who, HttpClient> clients, string template, Func<Who, Kind, HttpStatusCode> expected,
        Func<Kind, HttpContent?>? body = null, HttpMethod? method = null)
    {
        var wrong = new List<string>();
        foreach (var (kind, id) in world.Agreements)
            foreach (var who in Everyone)
            {
                using var request = new HttpRequestMessage(method ?? HttpMethod.Get, template.Replace("{id}", id.ToString())) { Content = body?.Invoke(kind) };
                var response = await clients[who].SendAsync(request);
                if (response.StatusCode != expected(who, kind)) wrong.Add($"{who} on {kind}: {(int)response.StatusCode}, expected {(int)expected(who, kind)}");
            }
        Assert.True(wrong.Count == 0, $"{method ?? HttpMethod.Get} {template}\n" + string.Join("\n", wrong));
    }

    async Task EachFileAsync(Dictionary<Who, HttpClient> clients, string template)
    {
        var wrong = new List<string>();
        foreach (var (kind, visibility, versionId, _) in world.Files)
            foreach (var who in Everyone)
            {
                var response = await clients[who].GetAsync(template.Replace("{id}", versionId.ToString()));
                var expected = SeesFile(who, kind, visibility) ? HttpStatusCode.OK : HttpStatusCode.NotFound;
                if (response.StatusCode != expected) wrong.Add($"{who} on a {visibility ?? "default"} file of {kind}: {(int)response.StatusCode}, expected {(int)expected}");
            }
        Assert.True(wrong.Count == 0, template + "\n" + string.Join("\n", wrong));
    }

    async Task EachFileAgreementAsync(string template)
    {
        var wrong = new List<string>();
        foreach (var (kind, _, _, fileId) in world.Files.Where(f => f.Visibility is null))
            foreach (var who in Everyone)
            {
                var response = await Api[who].PostAsync(template.Replace("{id}", world.Agreements[kind].ToString()).Replace("{fileId}", fileId.ToString()), EmptyForm());
                // These files are the lead's own: a party's editors add files of their own, but no versions of the lead's.
                var expected = Change(who, kind, who is Who.FrameworkAdministrator or Who.EditorOfLead, HttpStatusCode.BadRequest, api: true);
                if (response.StatusCode != expected) wrong.Add($"{who} on {kind}: {(int)response.StatusCode}, expected {(int)expected}");
            }
        Assert.True(wrong.Count == 0, template + "\n" + string.Join("\n", wrong));
    }

    /// <summary>A multipart body without the file: whoever may upload is told what is missing, after the access check.</summary>
    static HttpContent EmptyForm() => new MultipartFormDataContent { { new StringContent("appendix"), "kind" } };

    HashSet<Kind> Expected(Who who) => world.Agreements.Keys.Where(k => Sees(who, k)).ToHashSet();

    async Task ListedByApiAsync()
    {
        var wrong = new List<string>();
        foreach (var who in Everyone)
        {
            var list = await Api[who].GetFromJsonAsync<JsonObject>("/api/v1/agreements?pageSize=100");
            var titles = list!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToHashSet();
            var seen = world.Agreements.Keys.Where(k => titles.Contains(Title(k))).ToHashSet();
            if (!seen.SetEquals(Expected(who)) || list["total"]!.GetValue<int>() != Expected(who).Count
                || list["facets"]!["status"]!.AsObject().Sum(f => f.Value!.GetValue<int>()) != Expected(who).Count)
                wrong.Add($"{who}: listed {string.Join(",", seen)} of total {list["total"]}, expected {string.Join(",", Expected(who))}");
        }
        Assert.True(wrong.Count == 0, "GET /api/v1/agreements\n" + string.Join("\n", wrong));
    }

    /// <summary>The search finds each agreement by its title only for those who may see it, with totals and counts to match.</summary>
    async Task SearchedByApiAsync()
    {
        var wrong = new List<string>();
        foreach (var who in Everyone)
        {
            var result = await Api[who].GetFromJsonAsync<JsonObject>("/api/v1/search?q=matrix&pageSize=100");
            var titles = result!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToHashSet();
            var seen = world.Agreements.Keys.Where(k => titles.Contains(Title(k))).ToHashSet();
            var counted = result["facets"]!["status"]!.AsObject().Sum(f => f.Value!.GetValue<int>());
            if (!seen.SetEquals(Expected(who)) || result["total"]!.GetValue<int>() != Expected(who).Count || counted != Expected(who).Count)
                wrong.Add($"{who}: found {string.Join(",", seen)} (total {result["total"]}, counted {counted}), expected {string.Join(",", Expected(who))}");
        }
        Assert.True(wrong.Count == 0, "GET /api/v1/search\n" + string.Join("\n", wrong));
    }

    /// <summary>A download holds each agreement (by its title) only for those who may see it.</summary>
    async Task ExportedAsync(Dictionary<Who, HttpClient> clients, string url, Func<Who, IReadOnlyCollection<Kind>> expected)
    {
        var wrong = new List<string>();
        foreach (var who in Everyone)
        {
            var response = await clients[who].GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            var seen = world.Agreements.Keys.Where(k => text.Contains(Title(k))).ToHashSet();
            if (response.StatusCode != HttpStatusCode.OK || !seen.SetEquals(expected(who)))
                wrong.Add($"{who}: {(int)response.StatusCode} with {string.Join(",", seen)}, expected {string.Join(",", expected(who))}");
        }
        Assert.True(wrong.Count == 0, url + "\n" + string.Join("\n", wrong));
    }

    async Task ListedOnPageAsync(string url)
    {
        var wrong = new List<string>();
        foreach (var who in Everyone)
        {
            var page = await Pages[who].GetPageAsync(url);
            var seen = world.Agreements.Keys.Where(k => page.Body!.TextContent.Contains(Title(k))).ToHashSet();
            if (!seen.SetEquals(Expected(who))) wrong.Add($"{who}: listed {string.Join(",", seen)}, expected {string.Join(",", Expected(who))}");
        }
        Assert.True(wrong.Count == 0, url + "\n" + string.Join("\n", wrong));
    }

    Task PortfolioAsync() => ListedOnPageAsync($"/organisations/{world.LeadId}");

    async Task HomeCountsAsync()
    {
        var wrong = new List<string>();
        foreach (var who in Everyone)
        {
            var text = (await Pages[who].GetPageAsync("/")).Body!.TextContent;
            var published = Expected(who).Count(k => k != Kind.Draft);
            if (!text.Contains($"{published} agreement")) wrong.Add($"{who}: expected {published} published agreements in the count");
        }
        Assert.True(wrong.Count == 0, "GET /\n" + string.Join("\n", wrong));
    }

    async Task OrganisationCountsAsync()
    {
        var wrong = new List<string>();
        foreach (var who in Everyone)
        {
            var page = await Pages[who].GetPageAsync("/organisations");
            var row = page.QuerySelectorAll("tr").Single(r => r.QuerySelector($"a[href='/organisations/{world.LeadId}']") is not null);
            var count = row.QuerySelectorAll("td").Last().TextContent.Trim();
            if (count != Expected(who).Count.ToString()) wrong.Add($"{who}: counted {count}, expected {Expected(who).Count}");
        }
        Assert.True(wrong.Count == 0, "GET /organisations\n" + string.Join("\n", wrong));
    }

    static string Title(Kind kind) => kind == Kind.Draft ? "Matrix draft agreement" : $"Matrix {kind} agreement";
}
