using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Concordat.Tests.Support;
using Concordat.Agreements;
using Concordat.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Agreements;

/// <summary>The people's journeys through the pages, without JavaScript, as plain form posts.</summary>
public sealed class RegisterPageTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task An_officer_creates_a_draft_with_only_title_and_lead_then_completes_uploads_and_publishes_it()
    {
        var client = await app.SignedInClientAsync();
        var lfb = (await app.OrganisationIdAsync("London Fire Brigade")).ToString();
        var camden = (await app.OrganisationIdAsync("London Borough of Camden")).ToString();

        var created = await client.SubmitAsync("/agreements/new", [new("Input.Title", "Legacy fire referral protocol"), new("Input.LeadOrganisationId", lfb)]);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var url = created.Headers.Location!.ToString();
        Assert.Matches(@"^/agreements/\d+$", url);

        // Publishing now lists what is missing, linking to where each is put right.
        var refused = await client.SubmitAsync(url, [], "form[action$='handler=Publish']");
        var summary = refused.ParseBody().ErrorSummary();
        Assert.Contains("Enter the purpose of the sharing", summary);
        Assert.Contains("Upload the agreement document", summary);

        var edit = await client.SubmitAsync($"{url}/edit",
        [
            new("Input.Title", "Legacy fire referral protocol"), new("Input.LeadOrganisationId", lfb),
            new("Input.AgreementType", "data-disclosure"), new("Input.Purpose", "Referrals of residents at risk of fire."),
            new("Input.Parties[0].OrganisationId", lfb), new("Input.Parties[0].Role", "recipient"),
            new("Input.Parties[1].OrganisationId", camden), new("Input.Parties[1].Role", "discloser"),
            new("Input.DataFlows[0].FromOrganisationId", camden), new("Input.DataFlows[0].ToOrganisationId", lfb),
            new("Input.DataFlows[0].DataItems", "Name and address"), new("Input.DataFlows[0].Frequency", "weekly"),
            new("Input.DataSubjects", "residents"), new("Input.DataSubjects", "adults-with-care-needs"),
            new("Input.Sensitivity", "personal"), new("Input.LawfulBasis", "public-task"),
            new("Start.Day", "1"), new("Start.Month", "4"), new("Start.Year", "2025"),
            new("Review.Day", "1"), new("Review.Month", "4"), new("Review.Year", "2027"),
            new("Input.Status", "active"), new("Input.Visibility", "public"), new("Input.ContactEmail", "ig@lfb.example.gov.uk"),
            new("LegalPowersText", "Fire and Rescue Services Act 2004 s6\nCare Act 2014 s6"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, edit.StatusCode);

        var id = int.Parse(url.Split('/')[^1]);
        using (var form = new MultipartFormDataContent())
        {
            var page = await client.GetPageAsync($"{url}/files/new");
            form.Add(new StringContent(((AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("main form input[name=__RequestVerificationToken]")!).Value), "__RequestVerificationToken");
            form.Add(new StringContent("agreement"), "Kind");
            form.Add(new ByteArrayContent(Fixtures.Pdf("referral")), "upload", "protocol.pdf");
            var uploaded = await client.PostAsync($"{url}/files/new", form);
            Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);
        }

        var published = await client.SubmitAsync(url, [], "form[action$='handler=Publish']");
        Assert.Equal(HttpStatusCode.Redirect, published.StatusCode);

        using var anonymous = app.CreateClient();
        var publicPage = await anonymous.GetPageAsync(url);
        Assert.Equal("Legacy fire referral protocol", publicPage.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("Care Act 2014 s6", publicPage.Body!.TextContent);
        Assert.Contains("London Borough of Camden", publicPage.QuerySelector("table")!.TextContent);
        var download = publicPage.QuerySelector("a[href^='/files/']")!.GetAttribute("href")!;
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString((await anonymous.GetByteArrayAsync(download))[..4]));
        Assert.Contains(id.ToString(), (await anonymous.GetStringAsync("/agreements?sort=-review")));
    }

    [Fact]
    public async Task An_empty_form_shows_a_govuk_error_summary_linked_to_each_field()
    {
        var client = await app.SignedInClientAsync();
        var response = await client.SubmitAsync("/agreements/new", [new("Start.Day", "31"), new("Start.Month", "2"), new("Start.Year", "2026")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = response.ParseBody();
        Assert.StartsWith("Error:", page.Title);
        var links = page.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains("#title", links);
        Assert.Contains("#leadOrganisationId", links);
        Assert.Contains("#startDate", links);
        foreach (var href in links) Assert.NotNull(page.QuerySelector(href!));
        Assert.Contains("Start date must be a real date", page.QuerySelector("#startDate-error")!.TextContent);
    }

    [Fact]
    public async Task Markup_typed_into_a_field_is_shown_as_text()
    {
        var api = await app.AdminApiAsync();
        var record = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(await app.CompleteRecordAsync("<script>alert('x')</script> & <b>bold</b>")))!.AsObject();
        record["purpose"] = "<img src=x onerror=alert(1)>";
        var created = await app.CreateAgreementAsync(api, record);
        var id = created["id"]!.GetValue<int>();
        await ConcordatFactory.UploadAsync(api, id, Fixtures.Pdf("markup"), "a.pdf");
        await api.PostAsync($"/api/v1/agreements/{id}/publish", null);

        using var anonymous = app.CreateClient();
        var html = await anonymous.GetStringAsync($"/agreements/{id}");
        Assert.DoesNotContain("<script>alert", html);
        Assert.DoesNotContain("<img src=x", html);
        Assert.Contains("&lt;script&gt;", html);
        Assert.Equal("<script>alert('x')</script> & <b>bold</b>", HtmlPages.Parse(html).QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_register_pages_and_sorts_and_shows_drafts_only_to_signed_in_users()
    {
        var api = await app.AdminApiAsync();
        var shelter = await app.OrganisationIdAsync("Shelter");
        for (var i = 0; i < 27; i++)
            await app.CreateAgreementAsync(api, new { title = $"Paging draft {i:00}", leadOrganisationId = shelter });

        using var anonymous = app.CreateClient();
        Assert.DoesNotContain("Paging draft", await anonymous.GetStringAsync("/agreements"));

        var client = await app.SignedInClientAsync();
        var first = await client.GetPageAsync("/agreements?sort=title");
        Assert.Equal(25, first.QuerySelectorAll("tbody tr").Length);
        Assert.NotNull(first.QuerySelector("nav.govuk-pagination a[rel=next]"));
        Assert.Equal("ascending", first.QuerySelector("th[aria-sort=ascending]")?.GetAttribute("aria-sort"));
        var titles = first.QuerySelectorAll("tbody tr td:first-child a").Select(a => a.TextContent).ToList();
        Assert.Equal(titles.Order(StringComparer.Ordinal).ToList(), titles);
        var second = await client.GetPageAsync("/agreements?sort=title&page=2");
        Assert.NotEmpty(second.QuerySelectorAll("tbody tr"));

        var nonsense = await anonymous.GetAsync("/agreements?page=abc&sort=%3Cx%3E");
        Assert.Equal(HttpStatusCode.OK, nonsense.StatusCode);
        var nonsensePage = nonsense.ParseBody();
        Assert.NotEmpty(nonsensePage.QuerySelectorAll(".govuk-error-summary__list li"));
        Assert.Empty(nonsensePage.QuerySelectorAll(".govuk-error-summary__list a"));
    }

    [Fact]
    public async Task The_register_links_its_downloads_and_each_holds_what_the_person_sees_in_the_table()
    {
        var api = await app.AdminApiAsync();
        await app.CreateAgreementAsync(api, new { title = "Download draft", leadOrganisationId = await app.OrganisationIdAsync("Shelter") });
        var published = (await app.CreateAgreementAsync(api, await app.CompleteRecordAsync("Download published")))["id"]!.GetValue<int>();
        await ConcordatFactory.UploadAsync(api, published, Fixtures.Pdf("download"), "d.pdf");
        Assert.True((await api.PostAsync($"/api/v1/agreements/{published}/publish", null)).IsSuccessStatusCode);
        // The published agreement's timeline is for partners, not for anyone passing.
        Assert.Null((await app.CreateClient().GetPageAsync($"/agreements/{published}")).QuerySelector("#timeline"));
        Assert.Equal(["Added to the register, led by London Fire Brigade", "Published"],
            (await (await app.SignedInClientAsync()).GetPageAsync($"/agreements/{published}")).QuerySelectorAll("#timeline + ol li").Select(li => li.LastChild!.TextContent.Trim()));
        // Anyone sees the published agreement; the signed-in administrator sees the draft as well.
        foreach (var client in new[] { app.CreateClient(), await app.SignedInClientAsync() })
        {
            var page = await client.GetPageAsync("/agreements");
            var total = int.Parse(System.Text.RegularExpressions.Regex.Match(page.QuerySelector("main p.govuk-body:not(.govuk-body-l)")!.TextContent, @"^\d+").Value);
            var links = page.QuerySelectorAll("a[href^='/export/agreements.']").Select(a => a.GetAttribute("href")).ToList();
            Assert.Equal(["/export/agreements.csv", "/export/agreements.json", "/export/agreements.jsonl"], links);
            var json = (await client.GetFromJsonAsync<JsonObject>("/export/agreements.json"))!;
            Assert.Equal(total, json["total"]!.GetValue<int>());
            Assert.Equal(total, json["items"]!.AsArray().Count);
        }
    }

    [Fact]
    public async Task An_organisation_page_lists_every_agreement_it_leads_or_is_party_to()
    {
        var api = await app.AdminApiAsync();
        var ids = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            var created = await app.CreateAgreementAsync(api, await app.CompleteRecordAsync($"Portfolio {i}", lead: "London Borough of Hackney", partner: "Metropolitan Police Service"));
            ids.Add(created["id"]!.GetValue<int>());
            await ConcordatFactory.UploadAsync(api, ids[^1], Fixtures.Pdf($"portfolio{i}"), "p.pdf");
            await api.PostAsync($"/api/v1/agreements/{ids[^1]}/publish", null);
        }
        using var anonymous = app.CreateClient();
        var met = await app.OrganisationIdAsync("Metropolitan Police Service");

        var page = await anonymous.GetPageAsync($"/organisations/{met}");

        foreach (var id in ids) Assert.NotNull(page.QuerySelector($"a[href='/agreements/{id}']"));
        Assert.Contains("Joint controller", page.QuerySelector("table")!.TextContent);
        var index = await anonymous.GetPageAsync("/organisations");
        Assert.Contains("E09000012", index.Body!.TextContent);
    }

    [Fact]
    public async Task An_organisation_page_lists_the_agreements_it_leads_due_for_review_in_the_next_90_days_that_the_visitor_may_see()
    {
        var api = await app.AdminApiAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        async Task<int> PublishedAsync(string title, DateOnly review, string visibility = "public", string lead = "London Borough of Lambeth", string partner = "London Borough of Camden")
        {
            var record = JsonSerializer.SerializeToNode(await app.CompleteRecordAsync(title, lead, partner))!.AsObject();
            record["reviewDate"] = review.ToString("yyyy-MM-dd");
            record["visibility"] = visibility;
            var id = (await app.CreateAgreementAsync(api, record))["id"]!.GetValue<int>();
            await ConcordatFactory.UploadAsync(api, id, Fixtures.Pdf($"review{id}"), "r.pdf");
            Assert.True((await api.PostAsync($"/api/v1/agreements/{id}/publish", null)).IsSuccessStatusCode);
            return id;
        }
        var soon = await PublishedAsync("Review soon", today.AddDays(30));
        var overdue = await PublishedAsync("Review overdue", today.AddDays(-10));
        var later = await PublishedAsync("Review later", today.AddDays(200));
        var partnersOnly = await PublishedAsync("Review soon for partners", today.AddDays(20), "partners");
        // Lambeth is a party to this one, not its lead: its review is Camden's to do.
        var ledByOthers = await PublishedAsync("Review soon, led by Camden", today.AddDays(15), lead: "London Borough of Camden", partner: "London Borough of Lambeth");
        var lambeth = await app.OrganisationIdAsync("London Borough of Lambeth");

        using var anonymous = app.CreateClient();
        var page = await anonymous.GetPageAsync($"/organisations/{lambeth}");
        var heading = page.QuerySelector("#due-for-review")!;
        Assert.Equal("Due for review in the next 90 days (2)", heading.TextContent);
        var rows = heading.NextElementSibling!.QuerySelectorAll("tbody tr").ToList();
        Assert.Equal([$"/agreements/{overdue}", $"/agreements/{soon}"], rows.Select(r => r.QuerySelector("a")!.GetAttribute("href")));
        Assert.Contains("Review overdue", rows[0].TextContent);
        Assert.DoesNotContain("Review overdue", rows[1].TextContent);
        foreach (var hidden in new[] { later, partnersOnly, ledByOthers })
            Assert.DoesNotContain($"/agreements/{hidden}\"", heading.NextElementSibling!.OuterHtml);

        // A partner (any signed-in person of a partner body) sees the partners-only one too.
        var signedIn = await app.SignedInClientAsync();
        var partnerView = await signedIn.GetPageAsync($"/organisations/{lambeth}");
        Assert.Equal("Due for review in the next 90 days (3)", partnerView.QuerySelector("#due-for-review")!.TextContent);
    }

    [Fact]
    public async Task Unknown_pages_and_agreements_get_a_helpful_404_page()
    {
        using var anonymous = app.CreateClient();
        var response = await anonymous.GetAsync("/agreements/987654");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var anonymous = app.CreateClient();
        var response = await anonymous.GetAsync("/agreements");
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task Forms_without_the_anti_forgery_token_are_refused()
    {
        var client = await app.SignedInClientAsync();
        var response = await client.PostAsync("/agreements/new", new FormUrlEncodedContent([new("Input.Title", "Forged")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_form_carrying_another_persons_anti_forgery_token_is_refused_changes_nothing_and_is_audited()
    {
        // A token lifted from someone else's page (here, an anonymous visitor's) does not match the signed-in cookie.
        using var other = app.CreateClient();
        var foreign = (await other.GetPageAsync("/sign-in")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var client = await app.SignedInClientAsync();
        var lead = await app.OrganisationIdAsync("Shelter");
        var response = await client.PostAsync("/agreements/new", new FormUrlEncodedContent(
            [new("Input.Title", "Cross-site forgery"), new("Input.LeadOrganisationId", lead.ToString()), new("__RequestVerificationToken", foreign)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Concordat.Data.ConcordatDb>();
        Assert.False(await db.Agreements.AnyAsync(a => a.Title == "Cross-site forgery"));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "request.refused" && e.Subject == "path:/agreements/new" && e.Actor == ConcordatFactory.AdminEmail));
    }

    [Fact]
    public async Task Editing_pages_need_sign_in()
    {
        using var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync("/agreements/new");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/sign-in", response.Headers.Location!.PathAndQuery);
    }
}
