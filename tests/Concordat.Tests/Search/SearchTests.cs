using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Organisations;
using Concordat.Tests.Support;

namespace Concordat.Tests.Search;

/// <summary>
/// A small register to search: public, partners-only, parties-only and draft agreements, and a public
/// agreement with a file for its parties alone. London Fire Brigade leads; Camden is party; Hackney is not.
/// </summary>
public sealed class SearchWorld : ConcordatFactory, IAsyncLifetime
{
    public const string CamdenMember = "reader@camden.search", HackneyMember = "reader@hackney.search";
    public Dictionary<string, int> Ids { get; } = [];

    public async Task InitializeAsync()
    {
        await AddPersonAsync(CamdenMember, "London Borough of Camden");
        await AddPersonAsync(HackneyMember, "London Borough of Hackney");
        var admin = await AdminApiAsync();
        await AddAsync(admin, "Home fire safety referrals", "public", "Residents at risk are referred for a visit.",
            ("visits.txt", "Smoke alarms fitted at every visit. <script>alert('x')</script> Hoarding was noted in some homes.", null));
        // A long file behind the agreement document, with one rare word far into it: its snippet comes from the offsets.
        var filler = string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet, consectetur adipiscing elit. ", 300));
        await AddAsync(admin, "Hoarding panel", "public", "The panel shares what partners know about fire risk in hoarded homes.",
            ("minutes.txt", filler + "The okapi enclosure was inspected on Tuesday. " + filler, null));
        await AddAsync(admin, "Partners flood resilience", "partners", "Planning for floods.", ("plan.txt", "Every sandbag store is listed.", null));
        await AddAsync(admin, "Wombat data for the parties", "parties-only", "Sharing wombat sightings.", ("wombats.txt", "Wombat burrows shared.", null));
        await AddAsync(admin, "Public agreement with a private annex", "public", "The annex is for the parties.",
            ("annex.txt", "The kangaroo annex is confidential to the parties.", "parties-only"));
        var draft = await CreateAgreementAsync(admin, new { title = "Draft zebra register", leadOrganisationId = await OrganisationIdAsync("London Fire Brigade") });
        Ids["Draft zebra register"] = draft["id"]!.GetValue<int>();
    }

    async Task AddAsync(HttpClient admin, string title, string visibility, string purpose, params (string Name, string Text, string? Visibility)[] files)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(await CompleteRecordAsync(title)))!.AsObject();
        body["visibility"] = visibility;
        body["purpose"] = purpose;
        var id = (await CreateAgreementAsync(admin, body))["id"]!.GetValue<int>();
        await UploadAsync(admin, id, Encoding.UTF8.GetBytes($"{title}. The agreement."), "agreement.txt");
        foreach (var (name, text, fileVisibility) in files)
        {
            using var form = new MultipartFormDataContent { { new StringContent("appendix"), "kind" } };
            if (fileVisibility is not null) form.Add(new StringContent(fileVisibility), "visibility");
            form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "file", name);
            Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/api/v1/agreements/{id}/documents", form)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/agreements/{id}/publish", null)).StatusCode);
        Ids[title] = id;
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;
}

public sealed class SearchTests(SearchWorld world) : IClassFixture<SearchWorld>
{
    async Task<JsonObject> SearchAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/search?{query}");
        Assert.True(response.IsSuccessStatusCode, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    static string[] Titles(JsonObject result) => result["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()).ToArray();

    async Task<string[]> TitlesAsync(HttpClient client, string q) => Titles(await SearchAsync(client, "q=" + Uri.EscapeDataString(q)));

    [Fact]
    public async Task Words_are_stemmed_phrases_are_exact_and_exclusions_OR_and_prefixes_work()
    {
        using var admin = await world.AdminApiAsync();
        Assert.Contains("Wombat data for the parties", await TitlesAsync(admin, "sharing burrow")); // "shared", "burrows"
        Assert.Equal(["Home fire safety referrals"], await TitlesAsync(admin, "\"smoke alarms fitted\""));
        Assert.Empty(await TitlesAsync(admin, "\"alarms smoke fitted\""));
        Assert.Equal(["Home fire safety referrals"], await TitlesAsync(admin, "hoarding -panel"));
        Assert.Equal(["Partners flood resilience", "Wombat data for the parties"], (await TitlesAsync(admin, "sandbag OR wombat")).Order());
        Assert.Equal(["Public agreement with a private annex"], await TitlesAsync(admin, "kanga*"));
        Assert.Equal(["Draft zebra register"], await TitlesAsync(admin, "zebra"));
    }

    [Fact]
    public async Task A_title_match_outranks_a_match_in_a_file()
    {
        using var anyone = world.CreateClient();
        var titles = await TitlesAsync(anyone, "hoarding");
        Assert.Equal("Hoarding panel", titles[0]);
        Assert.Contains("Home fire safety referrals", titles);
    }

    [Fact]
    public async Task Anything_typed_is_searched_and_never_an_error()
    {
        using var anyone = world.CreateClient();
        foreach (var typed in new[] { "\"fire", "fire )(", "OR", "-", "* **", "\"\"", "fire AND NOT", "title:fire", "fire^3~2", new string('x', 2000) })
            await SearchAsync(anyone, "q=" + Uri.EscapeDataString(typed));
        Assert.Contains("Home fire safety referrals", await TitlesAsync(anyone, "\"fire safety"));
    }

    [Fact]
    public async Task Totals_hits_snippets_and_facet_counts_never_reveal_what_the_person_may_not_see()
    {
        using var anyone = world.CreateClient();
        using var partner = await world.PersonApiAsync(SearchWorld.HackneyMember);
        using var party = await world.PersonApiAsync(SearchWorld.CamdenMember);

        Assert.Empty(await TitlesAsync(anyone, "sandbag"));
        Assert.Equal(["Partners flood resilience"], await TitlesAsync(partner, "sandbag"));
        Assert.Empty(await TitlesAsync(partner, "wombat"));
        Assert.Equal(["Wombat data for the parties"], await TitlesAsync(party, "wombat"));
        // The private annex: its words find the agreement only for the parties, and never show in anyone else's snippet.
        Assert.Empty(await TitlesAsync(anyone, "kangaroo"));
        Assert.Empty(await TitlesAsync(partner, "kangaroo"));
        Assert.Equal(["Public agreement with a private annex"], await TitlesAsync(party, "kangaroo"));
        var annex = await SearchAsync(anyone, "q=annex");
        Assert.DoesNotContain("kangaroo", annex.ToJsonString());
        Assert.Empty(await TitlesAsync(party, "zebra")); // a draft: its lead's editors only

        foreach (var (client, expected) in new[] { (anyone, 3), (partner, 4), (party, 5) })
        {
            var all = await SearchAsync(client, "pageSize=100");
            Assert.Equal(expected, all["total"]!.GetValue<int>());
            Assert.Equal(expected, all["facets"]!["status"]!.AsObject().Sum(f => f.Value!.GetValue<int>()));
        }
    }

    [Fact]
    public async Task Snippets_mark_the_words_found_and_show_markup_in_files_as_text()
    {
        using var anyone = world.CreateClient();
        var result = await SearchAsync(anyone, "q=smoke");
        var snippet = result["items"]![0]!["snippet"]!.GetValue<string>();
        Assert.Contains("<mark>Smoke</mark>", snippet);
        var withScript = (await SearchAsync(anyone, "q=alert"))["items"]![0]!["snippet"]!.GetValue<string>();
        Assert.Contains("&lt;script&gt;", withScript);
        Assert.DoesNotContain("<script>", withScript);

        var page = await anyone.GetPageAsync("/search?q=alert");
        Assert.Null(page.QuerySelector("main script"));
        Assert.Contains("<script>", page.QuerySelector(".concordat-snippet")!.TextContent);
    }

    [Fact]
    public async Task A_snippet_is_the_passage_where_the_words_are_however_far_into_which_file()
    {
        using var anyone = world.CreateClient();
        foreach (var q in new[] { "okapi", "oka*", "\"okapi enclosure\"", "okapi inspection" })
        {
            var item = (await SearchAsync(anyone, "q=" + Uri.EscapeDataString(q)))["items"]![0]!;
            Assert.Equal("Hoarding panel", item["title"]!.GetValue<string>());
            Assert.Contains("<mark>okapi</mark>", item["snippet"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Status_facets_filter_and_count_with_their_own_filter_left_out_and_bad_values_are_named()
    {
        using var admin = await world.AdminApiAsync();
        var drafts = await SearchAsync(admin, "status=draft&pageSize=100");
        Assert.Equal(["Draft zebra register"], Titles(drafts));
        Assert.True(drafts["facets"]!["status"]!["active"]!.GetValue<int>() >= 5); // still counted, to widen to

        var bad = await admin.GetAsync("/api/v1/search?status=sleeping&sort=random&page=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Equal(["page", "sort", "status"], errors.Select(e => e.Key).Order());
    }

    [Fact]
    public async Task Every_facet_counts_what_the_person_may_see_values_of_one_facet_widen_and_facets_together_narrow()
    {
        using var anyone = world.CreateClient();
        using var party = await world.PersonApiAsync(SearchWorld.CamdenMember);
        var camden = await world.OrganisationIdAsync("London Borough of Camden");
        var anon = await SearchAsync(anyone, "pageSize=100");
        var mine = await SearchAsync(party, "pageSize=100");
        // Camden is party to every agreement here; the public is counted three, Camden five.
        Assert.Equal(3, anon["facets"]!["organisation"]![camden.ToString()]!.GetValue<int>());
        Assert.Equal(5, mine["facets"]!["organisation"]![camden.ToString()]!.GetValue<int>());
        foreach (var facet in new[] { "status", "agreementType", "organisationType", "lawfulBasis", "sensitivity", "dataSubject", "review", "origin", "year" })
            Assert.True(mine["facets"]![facet]!.AsObject().Count > 0, $"no counts for {facet}");
        Assert.Equal(5, mine["facets"]!["review"]!["later"]!.GetValue<int>()); // review 2027-04-01, more than 90 days ahead

        // Two values of one facet: either. Two facets: both.
        var either = await SearchAsync(party, "sensitivity=personal&sensitivity=special-category&pageSize=100");
        Assert.Equal(5, either["total"]!.GetValue<int>());
        var both = await SearchAsync(party, "sensitivity=personal&review=overdue");
        Assert.Equal(0, both["total"]!.GetValue<int>());
        Assert.Equal(5, both["facets"]!["review"]!["later"]!.GetValue<int>()); // review's counts leave the review filter out

        var bad = await anyone.GetAsync("/api/v1/search?organisation=camden&borough=E99&review=soon");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["borough", "organisation", "review"], (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key).Order());
    }

    [Fact]
    public async Task From_a_result_the_agreements_text_marks_every_match_with_links_from_one_to_the_next()
    {
        using var anyone = world.CreateClient();
        var page = await anyone.GetPageAsync($"/agreements/{world.Ids["Home fire safety referrals"]}?q=smoke%20alert");
        var marks = page.QuerySelectorAll(".concordat-text-view mark");
        Assert.Equal(["Smoke", "alert"], marks.Select(m => m.TextContent));
        var first = marks[0].Id!;
        Assert.NotNull(page.QuerySelector($"a[href='#{first}']"));
        Assert.Contains("<script>", page.QuerySelectorAll(".concordat-text-view").Select(v => v.TextContent).Single(t => t.Contains("Smoke")));
        Assert.Null(page.QuerySelector(".concordat-text-view script"));
        Assert.True(page.QuerySelector("details.govuk-details")!.HasAttribute("open"));
    }

    [Fact]
    public async Task The_register_list_is_the_same_search_when_given_words_or_facets()
    {
        using var anyone = world.CreateClient();
        var viaRegister = await anyone.GetFromJsonAsync<JsonObject>("/api/v1/agreements?q=smoke");
        var viaSearch = await SearchAsync(anyone, "q=smoke");
        Assert.Equal(viaSearch.ToJsonString(), viaRegister!.ToJsonString());
        Assert.Contains("<mark>", viaRegister["items"]![0]!["snippet"]!.GetValue<string>());
        Assert.Equal("London Fire Brigade", viaRegister["items"]![0]!["leadOrganisation"]!["name"]!.GetValue<string>());

        // Without words or facets it stays the plain register list, sorted as before.
        var listed = await anyone.GetFromJsonAsync<JsonObject>("/api/v1/agreements?sort=-review");
        Assert.Null(listed!["items"]![0]!["snippet"]);
    }

    [Fact]
    public async Task A_person_who_saves_and_then_searches_sees_their_change()
    {
        using var admin = await world.AdminApiAsync();
        await world.CreateAgreementAsync(admin, new { title = "Platypus pilot", leadOrganisationId = await world.OrganisationIdAsync("Shelter") });
        Assert.Equal(["Platypus pilot"], await TitlesAsync(admin, "platypus"));
    }

    [Fact]
    public async Task The_search_page_keeps_the_whole_search_in_the_address_and_suggests_what_to_remove()
    {
        using var anyone = world.CreateClient();
        var page = await anyone.GetPageAsync("/search?q=fire&sort=title");
        Assert.Contains("agreements match fire", page.QuerySelector("#results-heading")!.TextContent);
        Assert.Equal("fire", page.QuerySelector("#search-q")!.GetAttribute("value"));
        var none = await anyone.GetPageAsync("/search?q=fire&status=expired");
        Assert.Contains("remove the status filter", none.Body!.TextContent);
        var odd = await anyone.GetAsync("/search?q=fire&sort=sideways");
        Assert.Equal(HttpStatusCode.OK, odd.StatusCode);
        Assert.Contains("sort must be one of relevance, newest, review, title", odd.ParseBody().ErrorSummaryText());
    }
}
