using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Tests.Support;

namespace Concordat.Tests.Agreements;

public sealed class AgreementApiTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task A_draft_needs_only_a_title_and_lead_organisation_and_gets_a_readable_reference()
    {
        var api = await app.AdminApiAsync();
        var lfb = await app.OrganisationIdAsync("London Fire Brigade");

        var response = await api.PostAsJsonAsync("/api/v1/agreements", new { title = "Legacy hoarding protocol", leadOrganisationId = lfb });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Matches(@"^DSA-\d{4}-\d{5}$", body["reference"]!.GetValue<string>());
        Assert.Equal("draft", body["status"]!.GetValue<string>());
        Assert.Null(body["publishedAt"]?.GetValue<DateTimeOffset?>());
        Assert.EndsWith($"/api/v1/agreements/{body["id"]}", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_draft_is_hidden_from_the_public_until_published()
    {
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, await app.CompleteRecordAsync("Draft visibility check"));
        var id = created["id"]!.GetValue<int>();
        using var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/agreements/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/agreements/{id}")).StatusCode);
        var list = await anonymous.GetFromJsonAsync<JsonObject>("/api/v1/agreements?pageSize=100");
        Assert.DoesNotContain(list!["items"]!.AsArray(), i => i!["id"]!.GetValue<int>() == id);

        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(api, id, Fixtures.Pdf("visibility"), "agreement.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/agreements/{id}/publish", null)).StatusCode);

        var published = await anonymous.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}");
        Assert.Equal("active", published!["status"]!.GetValue<string>());
        Assert.Equal("joint-controller", published["parties"]![0]!["role"]!.GetValue<string>());
        Assert.Equal(2, published["dataFlows"]!.AsArray().Count);
    }

    [Fact]
    public async Task Publishing_an_incomplete_record_names_every_missing_field()
    {
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, new { title = "Incomplete", leadOrganisationId = await app.OrganisationIdAsync("Refuge") });

        var response = await api.PostAsync($"/api/v1/agreements/{created["id"]}/publish", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        foreach (var field in new[] { "agreementType", "purpose", "parties", "dataSubjects", "sensitivity", "startDate", "reviewDate", "contactEmail", "files" })
            Assert.True(errors.ContainsKey(field), $"expected an error for {field}; got {string.Join(", ", errors.Select(e => e.Key))}");
    }

    [Fact]
    public async Task Special_category_data_needs_an_article_9_condition_and_personal_data_a_lawful_basis()
    {
        var api = await app.AdminApiAsync();
        var record = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(await app.CompleteRecordAsync("Special category check")))!.AsObject();
        record["sensitivity"] = new JsonArray("special-category");
        record["lawfulBasis"] = new JsonArray();
        var created = await app.CreateAgreementAsync(api, record);
        await ConcordatFactory.UploadAsync(api, created["id"]!.GetValue<int>(), Fixtures.Pdf("special"), "a.pdf");

        var errors = (await (await api.PostAsync($"/api/v1/agreements/{created["id"]}/publish", null)).Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();

        Assert.True(errors.ContainsKey("specialCategoryCondition"));
        Assert.True(errors.ContainsKey("lawfulBasis"));
    }

    [Fact]
    public async Task Unknown_values_wrong_dates_and_unknown_organisations_are_field_errors_in_problem_json()
    {
        var api = await app.AdminApiAsync();
        var response = await api.PostAsJsonAsync("/api/v1/agreements", new
        {
            title = "Bad input",
            leadOrganisationId = 999999,
            agreementType = "handshake",
            lawfulBasis = new[] { "because" },
            startDate = "2026-05-01",
            reviewDate = "2026-04-01",
            endDate = "2026-02-30",
            contactEmail = "not an email",
            parties = new[] { new { organisationId = (int?)null, role = "boss" } },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("not in the registry", errors["leadOrganisationId"]![0]!.GetValue<string>());
        Assert.Contains("information-sharing", errors["agreementType"]![0]!.GetValue<string>());
        Assert.Contains("public-task", errors["lawfulBasis"]![0]!.GetValue<string>());
        Assert.Contains("on or after the start date", errors["reviewDate"]![0]!.GetValue<string>());
        Assert.Contains("real date", errors["endDate"]![0]!.GetValue<string>());
        Assert.True(errors.ContainsKey("contactEmail"));
        Assert.True(errors.ContainsKey("parties[0].organisationId"));
        using var anonymous = app.CreateClient();
        var list = await api.GetFromJsonAsync<JsonObject>("/api/v1/agreements?pageSize=100");
        Assert.DoesNotContain(list!["items"]!.AsArray(), i => i!["title"]!.GetValue<string>() == "Bad input");
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_problem_not_a_crash()
    {
        var api = await app.AdminApiAsync();
        var response = await api.PostAsync("/api/v1/agreements", new StringContent("{\"title\": ", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_published_record_does_not_reveal_the_draft_it_supersedes_to_the_public()
    {
        var api = await app.AdminApiAsync();
        var draft = await app.CreateAgreementAsync(api, new { title = "Confidential draft title", leadOrganisationId = await app.OrganisationIdAsync("Refuge") });
        var record = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(await app.CompleteRecordAsync("Successor")))!.AsObject();
        record["supersedes"] = draft["reference"]!.GetValue<string>();
        var successor = await app.CreateAgreementAsync(api, record);
        var id = successor["id"]!.GetValue<int>();
        await ConcordatFactory.UploadAsync(api, id, Fixtures.Pdf("successor"), "s.pdf");
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/agreements/{id}/publish", null)).StatusCode);
        using var anonymous = app.CreateClient();

        Assert.DoesNotContain("Confidential draft title", await anonymous.GetStringAsync($"/agreements/{id}"));
        Assert.Null((await anonymous.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}"))!["supersedes"]);
        Assert.Equal(draft["reference"]!.GetValue<string>(), (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}"))!["supersedes"]!.GetValue<string>());
    }

    [Fact]
    public async Task Null_rows_in_lists_are_skipped_not_a_crash()
    {
        var api = await app.AdminApiAsync();
        var response = await api.PostAsync("/api/v1/agreements", new StringContent(
            $"{{\"title\":\"Nulls\",\"leadOrganisationId\":{await app.OrganisationIdAsync("Shelter")},\"parties\":[null],\"dataFlows\":[null],\"themes\":[null]}}",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_names_its_field()
    {
        var api = await app.AdminApiAsync();
        var response = await api.PostAsync("/api/v1/agreements",
            new StringContent("{\"title\": \"Typed\", \"leadOrganisationId\": \"the fire brigade\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("leadOrganisationId"));
    }

    [Fact]
    public async Task Updating_a_published_record_cannot_remove_what_publication_requires()
    {
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, await app.CompleteRecordAsync("Keep it complete"));
        var id = created["id"]!.GetValue<int>();
        await ConcordatFactory.UploadAsync(api, id, Fixtures.Pdf("complete"), "a.pdf");
        await api.PostAsync($"/api/v1/agreements/{id}/publish", null);

        var response = await api.PutAsJsonAsync($"/api/v1/agreements/{id}", new { title = "Keep it complete", leadOrganisationId = await app.OrganisationIdAsync("London Fire Brigade") });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var stored = await api.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}");
        Assert.NotNull(stored!["purpose"]?.GetValue<string>());
    }

    [Fact]
    public async Task An_update_replaces_the_record()
    {
        var api = await app.AdminApiAsync();
        var record = await app.CompleteRecordAsync("Before the update");
        var created = await app.CreateAgreementAsync(api, record);
        var changed = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(record))!.AsObject();
        changed["title"] = "After the update";
        changed["themes"] = new JsonArray("fire-safety", "hoarding");

        var response = await api.PutAsJsonAsync($"/api/v1/agreements/{created["id"]}", changed);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("After the update", body["title"]!.GetValue<string>());
        Assert.Equal(["fire-safety", "hoarding"], body["themes"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(created["reference"]!.GetValue<string>(), body["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task Writes_need_a_token_and_answer_401_as_problem_json()
    {
        using var anonymous = app.CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/v1/agreements", new { title = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Listing_pages_and_sorts_and_rejects_nonsense_parameters()
    {
        var api = await app.AdminApiAsync();
        foreach (var title in new[] { "Zebra crossing data", "Aardvark data" })
            await app.CreateAgreementAsync(api, new { title, leadOrganisationId = await app.OrganisationIdAsync("Shelter") });

        var byTitle = await api.GetFromJsonAsync<JsonObject>("/api/v1/agreements?sort=title&pageSize=1");
        Assert.Single(byTitle!["items"]!.AsArray());
        Assert.True(byTitle["total"]!.GetValue<int>() >= 2);
        var titles = (await api.GetFromJsonAsync<JsonObject>("/api/v1/agreements?sort=-title&pageSize=100"))!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToList();
        Assert.Equal(titles.OrderByDescending(t => t, StringComparer.Ordinal).ToList(), titles);

        var statuses = (await api.GetFromJsonAsync<JsonObject>("/api/v1/agreements?sort=status&pageSize=100"))!["items"]!.AsArray().Select(i => i!["status"]!.GetValue<string>()).ToList();
        var lifecycle = new[] { "draft", "in-review", "awaiting-signature", "active", "under-review", "expired", "superseded", "terminated" };
        Assert.Equal(statuses.OrderBy(s => Array.IndexOf(lifecycle, s)).ToList(), statuses);

        var bad = await api.GetAsync("/api/v1/agreements?page=0&pageSize=1000&sort=colour");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("page") && errors.ContainsKey("pageSize") && errors.ContainsKey("sort"));
    }

    [Fact]
    public async Task The_registry_holds_the_london_bodies_with_their_codes()
    {
        using var client = app.CreateClient();
        var items = (await client.GetFromJsonAsync<JsonObject>("/api/v1/organisations"))!["items"]!.AsArray();

        var gss = items.Where(o => o!["gssCode"] is not null).Select(o => (Code: o!["gssCode"]!.GetValue<string>(), Name: o["name"]!.GetValue<string>())).OrderBy(o => o.Code).ToList();
        Assert.Equal(33, gss.Count);
        Assert.Equal(("E09000001", "City of London Corporation"), gss[0]);
        Assert.Equal(("E09000033", "Westminster City Council"), gss[^1]);
        Assert.Contains(items, o => o!["name"]!.GetValue<string>() == "London Fire Brigade" && o["type"]!.GetValue<string>() == "fire-and-rescue");
        Assert.Equal(5, items.Count(o => o!["type"]!.GetValue<string>() == "integrated-care-board"));
        Assert.Contains(items, o => o!["odsCode"]?.GetValue<string>() == "RRU");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api()
    {
        using var client = app.CreateClient();
        var doc = await client.GetFromJsonAsync<JsonObject>("/openapi/v1.json");
        var paths = doc!["paths"]!.AsObject();
        foreach (var path in new[] { "/api/v1/tokens", "/api/v1/organisations", "/api/v1/agreements", "/api/v1/agreements/{id}", "/api/v1/agreements/{id}/publish", "/api/v1/agreements/{id}/documents", "/api/v1/documents/{id}/content" })
            Assert.True(paths.ContainsKey(path), $"OpenAPI lacks {path}");
        var reference = await client.GetPageAsync("/developers");
        Assert.Contains("POST /api/v1/agreements/{id}/documents", reference.Body!.TextContent);
    }
}
