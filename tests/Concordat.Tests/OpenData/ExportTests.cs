using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Concordat.OpenData;
using Concordat.Tests.Support;

namespace Concordat.Tests.OpenData;

/// <summary>
/// A register to export: public agreements (one with a title a spreadsheet would run as a formula, one whose purpose
/// holds commas, quotes, a line break and a pound sign), one for partners, one for the parties only and a draft.
/// London Fire Brigade leads; Camden is party; Hackney is a partner but not a party.
/// </summary>
public sealed class ExportWorld : ConcordatFactory, IAsyncLifetime
{
    public const string CamdenMember = "reader@camden.export", HackneyMember = "reader@hackney.export";
    public const string Formula = "=HYPERLINK(\"http://evil.example\",\"Click\") numbat register";
    public const string AwkwardPurpose = "Referrals, \"urgent\" ones first;\nthen the rest. Costs £40 a visit.";

    public async Task InitializeAsync()
    {
        await AddPersonAsync(CamdenMember, "London Borough of Camden");
        await AddPersonAsync(HackneyMember, "London Borough of Hackney");
        var admin = await AdminApiAsync();
        await AddAsync(admin, "Numbat referrals", "public", AwkwardPurpose);
        await AddAsync(admin, Formula, "public", "A title that looks like a formula.");
        await AddAsync(admin, "Numbat partners plan", "partners", "Partners only.");
        await AddAsync(admin, "Numbat parties annex", "parties-only", "The parties only.");
        await CreateAgreementAsync(admin, new { title = "Numbat draft", leadOrganisationId = await OrganisationIdAsync("London Fire Brigade") });
    }

    async Task AddAsync(HttpClient admin, string title, string visibility, string purpose)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(await CompleteRecordAsync(title)))!.AsObject();
        body["visibility"] = visibility;
        body["purpose"] = purpose;
        var id = (await CreateAgreementAsync(admin, body))["id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.Created, (await UploadAsync(admin, id, Encoding.UTF8.GetBytes($"{title}. The agreement."), "agreement.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/agreements/{id}/publish", null)).StatusCode);
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class ExportTests(ExportWorld world) : IClassFixture<ExportWorld>
{
    static readonly string[] Public = ["Numbat referrals", ExportWorld.Formula];

    static List<string[]> ParseCsv(string text)
    {
        // RFC 4180: quoted cells may hold commas, doubled quotes and line breaks; records end with CRLF.
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString()); cell.Clear();
                rows.Add([.. row]); row.Clear();
                i++;
            }
            else cell.Append(c);
        }
        return rows;
    }

    async Task<(byte[] Bytes, HttpResponseMessage Response)> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadAsByteArrayAsync(), response);
    }

    [Fact]
    public async Task The_public_csv_is_utf8_rfc4180_safe_for_spreadsheets_and_holds_only_public_agreements()
    {
        using var anyone = world.CreateClient();
        var (bytes, response) = await GetAsync(anyone, "/export/agreements.csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = ParseCsv(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(RegisterColumns.All.Select(c => c.Name), rows[0]);
        Assert.All(rows, r => Assert.Equal(rows[0].Length, r.Length));

        var byTitle = rows.Skip(1).ToDictionary(r => r[Array.IndexOf(rows[0], "title")]);
        Assert.Equal(["'" + ExportWorld.Formula, "Numbat referrals"], byTitle.Keys.Order());
        var referrals = byTitle["Numbat referrals"];
        string Cell(string column) => referrals[Array.IndexOf(rows[0], column)];
        Assert.Equal(ExportWorld.AwkwardPurpose, Cell("purpose"));
        Assert.Equal("public", Cell("visibility"));
        Assert.Equal("London Fire Brigade", Cell("lead_organisation"));
        Assert.Contains("London Borough of Camden (joint-controller)", Cell("parties"));
        Assert.Matches(@"^DSA-\d{4}-\d{5}$", Cell("reference"));
        Assert.Matches(@"^http://localhost/agreements/\d+$", Cell("url"));
    }

    [Fact]
    public async Task Partners_and_parties_export_what_they_may_see_each_row_labelled_with_its_visibility()
    {
        using var partner = await world.PersonApiAsync(ExportWorld.HackneyMember);
        using var party = await world.PersonApiAsync(ExportWorld.CamdenMember);
        using var admin = await world.AdminApiAsync();
        foreach (var (client, expected) in new[]
        {
            (partner, Public.Append("Numbat partners plan")),
            (party, Public.Append("Numbat partners plan").Append("Numbat parties annex")),
            (admin, Public.Append("Numbat partners plan").Append("Numbat parties annex").Append("Numbat draft")),
        })
        {
            var (bytes, _) = await GetAsync(client, "/api/v1/export/agreements.jsonl");
            var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
            Assert.Equal(expected.Order(), lines.Select(l => l["title"]!.GetValue<string>()).Order());
            Assert.All(lines, l => Assert.Contains(l["visibility"]!.GetValue<string>(), new[] { "public", "partners", "parties-only" }));
            Assert.Equal("parties-only", lines.SingleOrDefault(l => l["title"]!.GetValue<string>() == "Numbat parties annex")?["visibility"]!.GetValue<string>() ?? "parties-only");
        }
        // Without a token the API exports what the public sees, whatever cookie-less client asks.
        using var anyone = world.CreateClient();
        var json = await anyone.GetFromJsonAsync<JsonObject>("/api/v1/export/agreements.json");
        Assert.Equal(Public.Order(), json!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).Order());
        Assert.Equal(2, json["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_export_of_a_search_is_exactly_that_search_and_a_bad_filter_is_named()
    {
        using var party = await world.PersonApiAsync(ExportWorld.CamdenMember);
        var search = await party.GetFromJsonAsync<JsonObject>("/api/v1/search?q=numbat -partners&pageSize=100");
        var searched = search!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).Order().ToList();
        var exported = (await party.GetFromJsonAsync<JsonObject>("/api/v1/export/agreements.json?q=numbat%20-partners"))!["items"]!.AsArray()
            .Select(i => i!["title"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(searched, exported);
        Assert.DoesNotContain("Numbat partners plan", exported);

        var filtered = await party.GetFromJsonAsync<JsonObject>("/api/v1/export/agreements.json?status=draft");
        Assert.Empty(filtered!["items"]!.AsArray());

        var bad = await party.GetAsync("/api/v1/export/agreements.csv?status=sideways");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        Assert.Contains("'sideways' is not a value of status", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await party.GetAsync("/api/v1/export/agreements.xlsx")).StatusCode);

        // The search page offers the download of what it found.
        using var anyone = world.CreateClient();
        var page = await anyone.GetPageAsync("/search?q=numbat&status=active");
        Assert.NotNull(page.QuerySelector("a[href='/export/agreements.csv?q=numbat&status=active']"));
    }

    [Fact]
    public async Task The_atom_feed_lists_public_agreements_newest_first_and_the_dataset_describes_the_downloads()
    {
        using var admin = await world.AdminApiAsync();
        var (bytes, response) = await GetAsync(admin, "/feeds/agreements.atom");
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = XDocument.Parse(Encoding.UTF8.GetString(bytes));
        XNamespace atom = "http://www.w3.org/2005/Atom";
        var entries = feed.Root!.Elements(atom + "entry").ToList();
        Assert.Equal(Public.Order(), entries.Select(e => e.Element(atom + "title")!.Value.Split(": ", 2)[1]).Order());
        var updated = entries.Select(e => DateTimeOffset.Parse(e.Element(atom + "updated")!.Value)).ToList();
        Assert.Equal(updated.OrderDescending(), updated);
        Assert.All(entries, e => Assert.Equal("London Fire Brigade", e.Element(atom + "author")!.Element(atom + "name")!.Value));

        var dataset = await admin.GetFromJsonAsync<JsonObject>("/open-data/dataset.jsonld");
        Assert.Equal("dcat:Dataset", dataset!["@type"]!.GetValue<string>());
        Assert.Equal(OpenDataEndpoints.LicenceUrl, dataset["dct:license"]!["@id"]!.GetValue<string>());
        var downloads = dataset["dcat:distribution"]!.AsArray().Select(d => d!["dcat:downloadURL"]!["@id"]!.GetValue<string>()).ToList();
        foreach (var url in downloads)
            Assert.Equal(HttpStatusCode.OK, (await world.CreateClient().GetAsync(new Uri(url).PathAndQuery)).StatusCode);

        var page = await world.CreateClient().GetPageAsync("/open-data");
        Assert.Contains(OpenDataEndpoints.LicenceName, page.Body!.TextContent);
        Assert.Equal(RegisterColumns.All.Count, page.QuerySelectorAll("tbody tr").Length);
    }
}
