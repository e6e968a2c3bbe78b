using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Tests.Support;

namespace Concordat.Tests.Accounts;

/// <summary>
/// The agreement of the change matrix: published for its parties only, led by the brigade with Camden as party (where a
/// party's editor could once take the agreement over), with the lead's agreement document and Camden's privacy notice;
/// and a public agreement to name as the one it supersedes.
/// </summary>
public sealed class ChangeWorld : MatrixPeople
{
    public int AgreementId { get; private set; }
    /// <summary>The record as published, which <see cref="RestoreAsync"/> puts back after every change that is allowed.</summary>
    public JsonObject Record { get; private set; } = null!;
    public string SupersededReference { get; private set; } = "";
    public int LeadFileId { get; private set; }
    public int PartyFileId { get; private set; }

    protected override async Task AddAgreementsAsync(HttpClient admin)
    {
        var earlier = JsonSerializer.SerializeToNode(await CompleteRecordAsync("An earlier referral agreement", Lead, Party), Json)!.AsObject();
        var earlierId = (await CreateAgreementAsync(admin, earlier))["id"]!.GetValue<int>();
        await AddFileAsync(admin, earlierId, "agreement", null, "The earlier agreement.");
        SupersededReference = (await (await admin.PostAsync($"/api/v1/agreements/{earlierId}/publish", null)).Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();

        Record = JsonSerializer.SerializeToNode(await CompleteRecordAsync("Shared fire safety referrals", Lead, Party), Json)!.AsObject();
        Record["visibility"] = "parties-only";
        AgreementId = (await CreateAgreementAsync(admin, Record))["id"]!.GetValue<int>();
        LeadFileId = (await AddFileAsync(admin, AgreementId, "agreement", null, "The agreement, as the brigade wrote it.")).FileId;
        (await admin.PostAsync($"/api/v1/agreements/{AgreementId}/publish", null)).EnsureSuccessStatusCode();
        PartyFileId = (await AddFileAsync(Api[Who.EditorOfParty], AgreementId, "privacy-notice", null, "Camden's privacy notice.")).FileId;
    }

    /// <summary>Puts the published record back as it was.</summary>
    public async Task RestoreAsync()
    {
        var response = await Api[Who.FrameworkAdministrator].PutAsJsonAsync($"/api/v1/agreements/{AgreementId}", Record);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"restoring the record: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public Task<JsonObject> StoredAsync() => Api[Who.FrameworkAdministrator].GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{AgreementId}")!;
}

/// <summary>What a change touches, as the rules give each part an owner (written out here apart from the app's code).</summary>
public enum Part { Lead, Parties, Visibility, Record, OwnDataFlow, OthersDataFlow, AgreementDocument, OwnFile, OthersFile }

/// <summary>
/// The access matrix's second dimension: what is changed. Each kind of person tries each kind of change (the lead, the
/// parties, the visibility, every field of the record, data flows, files) on a published agreement, and gets what the
/// rules say: the lead's editors and framework administrators change everything; a party's editor only what their own
/// organisation contributes; a refusal is 403 problem+json naming the field. A field of the record that is not in
/// <see cref="FieldChanges"/> fails <see cref="Every_field_of_the_record_is_in_the_change_matrix"/>.
/// </summary>
public sealed class ChangeMatrixTests(ChangeWorld world) : IClassFixture<ChangeWorld>
{
    static readonly Who[] Everyone = Enum.GetValues<Who>();

    static bool MayMake(Who who, Part part) => who is Who.FrameworkAdministrator or Who.EditorOfLead
        || (who == Who.EditorOfParty && part is Part.OwnDataFlow or Part.OwnFile);

    static bool Sees(Who who) => who is Who.FrameworkAdministrator or Who.EditorOfLead or Who.AdministratorOfLead or Who.MemberOfParty or Who.EditorOfParty;

    static HttpStatusCode Expected(Who who, Part part, HttpStatusCode success) =>
        who == Who.Anonymous ? HttpStatusCode.Unauthorized : MayMake(who, part) ? success : Sees(who) ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound;

    /// <summary>Every field of the record, the part it belongs to, and a value that changes it (null: changed through the data flow rows below).</summary>
    static readonly Dictionary<string, (Part Part, Func<ChangeWorld, JsonNode?>? Value)> FieldChanges = new()
    {
        [nameof(AgreementInput.LeadOrganisationId)] = (Part.Lead, w => w.PartyId),
        [nameof(AgreementInput.Parties)] = (Part.Parties, w => new JsonArray(Party(w.LeadId, "joint-controller"), Party(w.PartyId, "joint-controller"), Party(w.OtherId, "recipient"))),
        [nameof(AgreementInput.Visibility)] = (Part.Visibility, _ => "public"),
        [nameof(AgreementInput.DataFlows)] = (Part.OwnDataFlow, null),
        [nameof(AgreementInput.Title)] = (Part.Record, _ => "Shared fire safety referrals (revised)"),
        [nameof(AgreementInput.AgreementType)] = (Part.Record, _ => "data-disclosure"),
        [nameof(AgreementInput.Purpose)] = (Part.Record, _ => "Camden refers residents at risk of fire to the brigade for a home fire safety visit."),
        [nameof(AgreementInput.Benefits)] = (Part.Record, _ => "Fewer fires in the homes of people at risk."),
        [nameof(AgreementInput.Description)] = (Part.Record, _ => "The full statement of the referrals, as the partners wrote it."),
        [nameof(AgreementInput.DataSubjects)] = (Part.Record, _ => new JsonArray("residents", "tenants")),
        [nameof(AgreementInput.Sensitivity)] = (Part.Record, _ => new JsonArray("personal", "pseudonymised")),
        [nameof(AgreementInput.LawfulBasis)] = (Part.Record, _ => new JsonArray("public-task", "legal-obligation")),
        [nameof(AgreementInput.SpecialCategoryCondition)] = (Part.Record, _ => "Art 9(2)(g) substantial public interest, DPA 2018 Sch 1 para 18"),
        [nameof(AgreementInput.LegalPowers)] = (Part.Record, _ => new JsonArray("Fire and Rescue Services Act 2004 s6")),
        [nameof(AgreementInput.PanLondon)] = (Part.Record, _ => true),
        [nameof(AgreementInput.Boroughs)] = (Part.Record, _ => new JsonArray("E09000007")),
        [nameof(AgreementInput.Themes)] = (Part.Record, _ => new JsonArray("fire-safety")),
        [nameof(AgreementInput.Dpia)] = (Part.Record, _ => "done"),
        [nameof(AgreementInput.Status)] = (Part.Record, _ => "under-review"),
        [nameof(AgreementInput.StartDate)] = (Part.Record, _ => "2025-05-01"),
        [nameof(AgreementInput.ReviewDate)] = (Part.Record, _ => "2027-06-01"),
        [nameof(AgreementInput.EndDate)] = (Part.Record, _ => "2029-03-31"),
        [nameof(AgreementInput.Version)] = (Part.Record, _ => "2.0"),
        [nameof(AgreementInput.Supersedes)] = (Part.Record, w => w.SupersededReference),
        [nameof(AgreementInput.ContactEmail)] = (Part.Record, _ => "fire.referrals@lfb.example.gov.uk"),
    };

    static JsonObject Party(int organisationId, string role) => new() { ["organisationId"] = organisationId, ["role"] = role };

    static JsonObject Flow(int from, int to, string items, string frequency) =>
        new() { ["fromOrganisationId"] = from, ["toOrganisationId"] = to, ["dataItems"] = items, ["frequency"] = frequency };

    /// <summary>Changes to the data flows, each a new list from the stored one (Camden sends names and addresses; the brigade sends visit outcomes).</summary>
    static readonly Dictionary<string, (Part Part, Func<ChangeWorld, JsonArray, JsonArray> Flows)> FlowChanges = new()
    {
        ["add a flow Camden sends"] = (Part.OwnDataFlow, (w, flows) => [.. flows.Select(f => f!.DeepClone()), Flow(w.PartyId, w.LeadId, "Referral outcome", "monthly")]),
        ["remove a flow Camden sends"] = (Part.OwnDataFlow, (w, flows) => [.. flows.Where(f => f!["fromOrganisationId"]!.GetValue<int>() != w.PartyId).Select(f => f!.DeepClone())]),
        ["add a flow the brigade sends"] = (Part.OthersDataFlow, (w, flows) => [.. flows.Select(f => f!.DeepClone()), Flow(w.LeadId, w.PartyId, "Visit dates", "weekly")]),
        ["remove a flow the brigade sends"] = (Part.OthersDataFlow, (w, flows) => [.. flows.Where(f => f!["fromOrganisationId"]!.GetValue<int>() != w.LeadId).Select(f => f!.DeepClone())]),
    };

    /// <summary>Files: new ones of each owner, and new versions of the lead's and of Camden's.</summary>
    static readonly Dictionary<string, (Part Part, Func<ChangeWorld, string> Path, string? Kind)> FileChanges = new()
    {
        ["add an agreement document"] = (Part.AgreementDocument, w => $"/api/v1/agreements/{w.AgreementId}/documents", "agreement"),
        ["add an appendix"] = (Part.OwnFile, w => $"/api/v1/agreements/{w.AgreementId}/documents", "appendix"),
        ["upload a version of Camden's privacy notice"] = (Part.OwnFile, w => $"/api/v1/agreements/{w.AgreementId}/documents/{w.PartyFileId}/versions", null),
        ["upload a version of the lead's agreement document"] = (Part.OthersFile, w => $"/api/v1/agreements/{w.AgreementId}/documents/{w.LeadFileId}/versions", null),
    };

    public static IEnumerable<object[]> RecordChanges() => FieldChanges.Where(f => f.Value.Value is not null).Select(f => new object[] { f.Key });
    public static IEnumerable<object[]> DataFlowChanges() => FlowChanges.Keys.Select(k => new object[] { k });
    public static IEnumerable<object[]> FileUploads() => FileChanges.Keys.Select(k => new object[] { k });

    [Fact]
    public void Every_field_of_the_record_is_in_the_change_matrix()
    {
        var fields = typeof(AgreementInput).GetProperties().Select(p => p.Name).Order().ToList();
        Assert.True(FieldChanges.Keys.Order().SequenceEqual(fields),
            "Fields of AgreementInput not in the change matrix (add each with its part and a value that changes it):\n" + string.Join("\n", fields.Except(FieldChanges.Keys)));
    }

    [Theory]
    [MemberData(nameof(RecordChanges))]
    public async Task Each_person_may_change_each_field_of_the_record_as_the_rules_say(string property)
    {
        var (part, value) = FieldChanges[property];
        var field = char.ToLowerInvariant(property[0]) + property[1..];
        await EachPersonPutsAsync(part, field, record => record[field] = value!(world));
    }

    [Theory]
    [MemberData(nameof(DataFlowChanges))]
    public async Task Each_person_may_change_the_data_flows_as_the_rules_say(string change)
    {
        var (part, flows) = FlowChanges[change];
        await EachPersonPutsAsync(part, "dataFlows", record => record["dataFlows"] = flows(world, record["dataFlows"]!.AsArray()));
    }

    [Theory]
    [MemberData(nameof(FileUploads))]
    public async Task Each_person_may_add_files_and_versions_as_the_rules_say(string change)
    {
        var (part, path, kind) = FileChanges[change];
        var wrong = new List<string>();
        foreach (var who in Everyone)
        {
            using var form = new MultipartFormDataContent();
            if (kind is not null) form.Add(new StringContent(kind), "kind");
            form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes($"A document {who} uploaded.")), "file", "document.txt");
            var response = await world.Api[who].PostAsync(path(world), form);
            var expected = Expected(who, part, HttpStatusCode.Created);
            if (response.StatusCode != expected) wrong.Add($"{who}: {(int)response.StatusCode}, expected {(int)expected}");
            else if (expected == HttpStatusCode.Forbidden && who == Who.EditorOfParty && await RefusedFieldsAsync(response) is { Count: 0 } none)
                wrong.Add($"{who}: a 403 that names no field");
        }
        Assert.True(wrong.Count == 0, change + "\n" + string.Join("\n", wrong));
    }

    /// <summary>Each person PUTs the stored record with one change; allowed changes are undone before the next person tries.</summary>
    async Task EachPersonPutsAsync(Part part, string field, Action<JsonObject> change)
    {
        var wrong = new List<string>();
        foreach (var who in Everyone)
        {
            var record = (JsonObject)world.Record.DeepClone();
            change(record);
            var response = await world.Api[who].PutAsJsonAsync($"/api/v1/agreements/{world.AgreementId}", record);
            var expected = Expected(who, part, HttpStatusCode.OK);
            if (response.StatusCode != expected)
                wrong.Add($"{who}: {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync()}");
            else if (expected == HttpStatusCode.Forbidden && who == Who.EditorOfParty && !(await RefusedFieldsAsync(response)).Any(f => f.StartsWith(field)))
                wrong.Add($"{who}: a 403 that does not name {field}");
            if (response.StatusCode == HttpStatusCode.OK) await world.RestoreAsync();
        }
        Assert.True(wrong.Count == 0, $"change {field}\n" + string.Join("\n", wrong));
    }

    static async Task<List<string>> RefusedFieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        return problem!["errors"]?.AsObject().Select(e => e.Key).ToList() ?? [];
    }

    // ---- The case that was found, and what the lead may do instead ----

    [Fact]
    public async Task A_party_editor_cannot_take_the_agreement_over_or_widen_who_sees_it_and_is_told_who_can()
    {
        var takeover = (JsonObject)world.Record.DeepClone();
        takeover["leadOrganisationId"] = world.PartyId;
        takeover["parties"] = new JsonArray(Party(world.PartyId, "joint-controller"));
        takeover["visibility"] = "public";

        var response = await world.Api[Who.EditorOfParty].PutAsJsonAsync($"/api/v1/agreements/{world.AgreementId}", takeover);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["leadOrganisationId", "parties", "visibility"], errors.Select(e => e.Key).Order());
        Assert.Equal($"Only editors of {MatrixPeople.Lead}, which leads this agreement, or a framework administrator can change the lead organisation. Ask them at ig@lfb.example.gov.uk",
            errors["leadOrganisationId"]![0]!.GetValue<string>());
        var stored = await world.StoredAsync();
        Assert.Equal(world.LeadId, stored["leadOrganisation"]!["id"]!.GetValue<int>());
        Assert.Equal("parties-only", stored["visibility"]!.GetValue<string>());
        Assert.Contains(stored["parties"]!.AsArray(), p => p!["organisationId"]!.GetValue<int>() == world.LeadId);
        // The lead's members still see it.
        Assert.Equal(HttpStatusCode.OK, (await world.Api[Who.AdministratorOfLead].GetAsync($"/api/v1/agreements/{world.AgreementId}")).StatusCode);
        var refusal = (await new Audit.AuditProbe(world).EventsAsync($"agreement:{stored["reference"]}")).Last(e => e.Action == "access.refused");
        Assert.Equal(MatrixPeople.Email(Who.EditorOfParty), refusal.Actor);
        Assert.Contains("\"fields\":[\"leadOrganisationId\",\"parties\",\"visibility\"]", refusal.Details);
    }

    [Fact]
    public async Task The_lead_hands_the_agreement_to_a_party_and_every_party_is_told()
    {
        var handover = (JsonObject)world.Record.DeepClone();
        handover["leadOrganisationId"] = world.OtherId;
        var notAParty = await world.Api[Who.EditorOfLead].PutAsJsonAsync($"/api/v1/agreements/{world.AgreementId}", handover);
        Assert.Equal(HttpStatusCode.BadRequest, notAParty.StatusCode);
        Assert.Contains("add the new lead as a party first", await notAParty.Content.ReadAsStringAsync());

        handover["leadOrganisationId"] = world.PartyId;
        var response = await world.Api[Who.EditorOfLead].PutAsJsonAsync($"/api/v1/agreements/{world.AgreementId}", handover);
        try
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var stored = await world.StoredAsync();
            Assert.Equal(world.PartyId, stored["leadOrganisation"]!["id"]!.GetValue<int>());
            var events = await new Audit.AuditProbe(world).EventsAsync($"agreement:{stored["reference"]}");
            Assert.Contains(events, e => e.Action == "agreement.lead-changed" && e.Actor == MatrixPeople.Email(Who.EditorOfLead)
                && e.Details.Contains($"\"from\":\"{MatrixPeople.Lead}\"") && e.Details.Contains($"\"to\":\"{MatrixPeople.Party}\""));
            // The editors and administrators of the parties, the former lead among them; not their plain members.
            var told = Directory.GetFiles(world.MailFolder, "*.eml").Select(f => MimeKit.MimeMessage.Load(f))
                .Where(m => m.Subject?.StartsWith("New lead organisation: Shared fire safety referrals") == true).ToList();
            var to = told.SelectMany(m => m.To.Mailboxes).Select(a => a.Address).ToHashSet();
            Assert.Superset(new[] { Who.EditorOfLead, Who.AdministratorOfLead, Who.EditorOfParty }.Select(MatrixPeople.Email).ToHashSet(), to);
            Assert.DoesNotContain(MatrixPeople.Email(Who.MemberOfParty), to);
            Assert.All(told, m => Assert.Contains($"{ConcordatFactory.PublicUrl}/agreements/{world.AgreementId}", m.TextBody));
            // Camden's editors now keep the record; the brigade's editors keep only what the brigade sends.
            var visibility = (JsonObject)handover.DeepClone();
            visibility["visibility"] = "partners";
            Assert.Equal(HttpStatusCode.Forbidden, (await world.Api[Who.EditorOfLead].PutAsJsonAsync($"/api/v1/agreements/{world.AgreementId}", visibility)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await world.Api[Who.EditorOfParty].PutAsJsonAsync($"/api/v1/agreements/{world.AgreementId}", visibility)).StatusCode);
        }
        finally
        {
            await world.RestoreAsync();
        }
    }

    [Fact]
    public async Task A_party_editor_who_cannot_see_the_superseded_agreement_can_still_save_what_they_read()
    {
        var admin = world.Api[Who.FrameworkAdministrator];
        // The earlier agreement is for the brigade and Hackney only: Camden's editor never sees its reference.
        var hidden = JsonSerializer.SerializeToNode(await world.CompleteRecordAsync("An agreement Camden was not party to", MatrixPeople.Lead, MatrixPeople.Other), ConcordatFactory.Json)!.AsObject();
        hidden["visibility"] = "parties-only";
        var hiddenId = (await world.CreateAgreementAsync(admin, hidden))["id"]!.GetValue<int>();
        await MatrixPeople.AddFileAsync(admin, hiddenId, "agreement", null, "The hidden agreement.");
        var hiddenReference = (await (await admin.PostAsync($"/api/v1/agreements/{hiddenId}/publish", null)).Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
        var record = JsonSerializer.SerializeToNode(await world.CompleteRecordAsync("Referrals that replace a private agreement", MatrixPeople.Lead, MatrixPeople.Party), ConcordatFactory.Json)!.AsObject();
        record["supersedes"] = hiddenReference;
        var id = (await world.CreateAgreementAsync(admin, record))["id"]!.GetValue<int>();
        await MatrixPeople.AddFileAsync(admin, id, "agreement", null, "The new agreement.");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/agreements/{id}/publish", null)).StatusCode);

        var editor = world.Api[Who.EditorOfParty];
        var read = (await editor.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}"))!;
        Assert.Null(read["supersedes"]?.GetValue<string>());
        var change = (JsonObject)record.DeepClone();
        change.Remove("supersedes");
        change["dataFlows"]!.AsArray().Add(Flow(world.PartyId, world.LeadId, "Referral outcome", "monthly"));
        var saved = await editor.PutAsJsonAsync($"/api/v1/agreements/{id}", change);

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var stored = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}"))!;
        Assert.Equal(hiddenReference, stored["supersedes"]!.GetValue<string>());
        Assert.Equal(3, stored["dataFlows"]!.AsArray().Count);
        Assert.DoesNotContain(hiddenReference, await saved.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Handing_a_draft_to_a_party_through_the_api_saves_it_even_though_the_caller_can_no_longer_see_it()
    {
        var draft = new JsonObject
        {
            ["title"] = "A draft handed over", ["leadOrganisationId"] = world.LeadId,
            ["parties"] = new JsonArray(Party(world.LeadId, "discloser"), Party(world.PartyId, "recipient")),
        };
        var id = (await world.CreateAgreementAsync(world.Api[Who.EditorOfLead], draft))["id"]!.GetValue<int>();
        draft["leadOrganisationId"] = world.PartyId;

        var response = await world.Api[Who.EditorOfLead].PutAsJsonAsync($"/api/v1/agreements/{id}", draft);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await world.Api[Who.EditorOfLead].GetAsync($"/api/v1/agreements/{id}")).StatusCode);
        var stored = await world.Api[Who.FrameworkAdministrator].GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}");
        Assert.Equal(world.PartyId, stored!["leadOrganisation"]!["id"]!.GetValue<int>());
    }

    // ---- The pages a party's editor uses ----

    [Fact]
    public async Task A_party_editor_changes_the_flows_their_organisation_sends_on_the_edit_page_and_nothing_else()
    {
        var editor = world.Pages[Who.EditorOfParty];
        var page = await editor.GetPageAsync($"/agreements/{world.AgreementId}/edit");
        Assert.Equal("Change your organisation's data flows", page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains($"{MatrixPeople.Lead} leads this agreement", page.QuerySelector(".govuk-inset-text")!.TextContent);
        // Camden is the only sender to choose; the brigade's flow is shown, not offered.
        Assert.Equal(["", world.PartyId.ToString()], page.QuerySelectorAll("#dataFlows-0-fromOrganisationId option").Select(o => o.GetAttribute("value")));
        Assert.Contains("Visit outcome", page.QuerySelector("table")!.TextContent);
        Assert.Null(page.QuerySelector("#title"));

        try
        {
            var saved = await editor.SubmitAsync($"/agreements/{world.AgreementId}/edit", [
                new("Input.DataFlows[0].FromOrganisationId", world.PartyId.ToString()), new("Input.DataFlows[0].ToOrganisationId", world.LeadId.ToString()),
                new("Input.DataFlows[0].DataItems", "Name and address"), new("Input.DataFlows[0].Frequency", "weekly"),
                new("Input.DataFlows[1].FromOrganisationId", world.PartyId.ToString()), new("Input.DataFlows[1].ToOrganisationId", world.LeadId.ToString()),
                new("Input.DataFlows[1].DataItems", "Referral outcome"), new("Input.DataFlows[1].Frequency", "monthly"),
                // Fields of the full form, posted by hand, are not read from this page.
                new("Input.Title", "Taken over"), new("Input.Visibility", "public")]);
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            var stored = await world.StoredAsync();
            Assert.Equal(3, stored["dataFlows"]!.AsArray().Count);
            Assert.Contains(stored["dataFlows"]!.AsArray(), f => f!["dataItems"]!.GetValue<string>() == "Visit outcome");
            Assert.Equal("Shared fire safety referrals", stored["title"]!.GetValue<string>());
            Assert.Equal("parties-only", stored["visibility"]!.GetValue<string>());

            // A row claiming the brigade sends something is refused, and says who can add it.
            var refused = await editor.SubmitAsync($"/agreements/{world.AgreementId}/edit", [
                new("Input.DataFlows[0].FromOrganisationId", world.LeadId.ToString()), new("Input.DataFlows[0].ToOrganisationId", world.PartyId.ToString()),
                new("Input.DataFlows[0].DataItems", "Everything"), new("Input.DataFlows[0].Frequency", "daily")]);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains(refused.ParseBody().ErrorSummary(), m => m.StartsWith($"Only editors of {MatrixPeople.Lead}, which leads this agreement"));
        }
        finally
        {
            await world.RestoreAsync();
        }
    }

    [Fact]
    public async Task A_party_editor_is_offered_only_their_own_files_to_add_and_replace()
    {
        var agreementPage = await world.Pages[Who.EditorOfParty].GetPageAsync($"/agreements/{world.AgreementId}");
        var versionLinks = agreementPage.QuerySelectorAll("a[href*='files/new?file=']").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/agreements/{world.AgreementId}/files/new?file={world.PartyFileId}", versionLinks);
        Assert.DoesNotContain($"/agreements/{world.AgreementId}/files/new?file={world.LeadFileId}", versionLinks);
        Assert.Contains($"Added by {MatrixPeople.Party}", agreementPage.Body!.TextContent);

        var upload = await world.Pages[Who.EditorOfParty].GetPageAsync($"/agreements/{world.AgreementId}/files/new");
        Assert.DoesNotContain("agreement", upload.QuerySelectorAll("input[name=Kind]").Select(i => i.GetAttribute("value")));
        Assert.Equal(HttpStatusCode.Forbidden, (await world.Pages[Who.EditorOfParty].GetAsync($"/agreements/{world.AgreementId}/files/new?file={world.LeadFileId}")).StatusCode);
        // The lead's editors may replace any file.
        var leadLinks = (await world.Pages[Who.EditorOfLead].GetPageAsync($"/agreements/{world.AgreementId}"))
            .QuerySelectorAll("a[href*='files/new?file=']").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/agreements/{world.AgreementId}/files/new?file={world.PartyFileId}", leadLinks);
        Assert.Contains($"/agreements/{world.AgreementId}/files/new?file={world.LeadFileId}", leadLinks);
    }
}
