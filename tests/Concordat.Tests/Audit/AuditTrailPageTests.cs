using Microsoft.EntityFrameworkCore;
using System.Net;
using Concordat.Organisations;
using Concordat.Tests.Support;

namespace Concordat.Tests.Audit;

/// <summary>Framework administrators read and check the trail in the pages.</summary>
public sealed class AuditTrailPageTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    readonly AuditProbe _audit = new(app);

    static string[] Actions(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("tbody tr td:nth-child(3) strong").Select(s => s.TextContent.Trim()).ToArray();

    [Fact]
    public async Task The_trail_filters_by_agreement_organisation_person_and_date()
    {
        var id = await _audit.PublishedAgreementAsync("Audit page filter target");
        var reference = (await _audit.EventsAsync()).Last(e => e.Action == "agreement.published").Subject["agreement:".Length..];
        var lfb = await app.OrganisationIdAsync("London Fire Brigade");
        using var admin = await app.SignedInClientAsync();

        var byAgreement = await admin.GetPageAsync($"/audit?agreement={reference.ToLowerInvariant()}");
        Assert.Equal(["agreement.published", "agreement.updated", "file.uploaded", "agreement.created"], Actions(byAgreement));

        var byOrganisation = Actions(await admin.GetPageAsync($"/audit?organisation={lfb}"));
        Assert.Contains("agreement.published", byOrganisation);
        Assert.DoesNotContain("sign-in.succeeded", byOrganisation);

        var byPerson = Actions(await admin.GetPageAsync($"/audit?person={Uri.EscapeDataString(ConcordatFactory.AdminEmail)}"));
        Assert.Contains("sign-in.succeeded", byPerson);

        var today = DateTime.UtcNow;
        var future = Actions(await admin.GetPageAsync($"/audit?from.Day=1&from.Month=1&from.Year={today.Year + 1}"));
        Assert.Empty(future);
        var fromToday = Actions(await admin.GetPageAsync($"/audit?from.Day={today.Day}&from.Month={today.Month}&from.Year={today.Year}&agreement={reference}"));
        Assert.Equal(4, fromToday.Length);
        Assert.True(id > 0);
    }

    [Fact]
    public async Task A_filter_that_makes_no_sense_is_explained_not_a_crash()
    {
        using var admin = await app.SignedInClientAsync();
        var response = await admin.GetAsync("/audit?organisation=banana&from.Day=31&from.Month=2&from.Year=2026&page=-3");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = response.ParseBody().ErrorSummary();
        Assert.Contains("Select an organisation from the list", errors);
        Assert.Contains("Enter a real 'from' date, for example 27 3 2026", errors);
        Assert.Contains("page must be a whole number from 1", errors);
    }

    [Fact]
    public async Task Checking_the_chain_from_the_page_names_a_tampered_event()
    {
        await _audit.PublishedAgreementAsync("Audit page tamper target");
        using var admin = await app.SignedInClientAsync();
        var intact = await admin.SubmitAsync("/audit", [], "form[action*=Verify]");
        Assert.Contains("The chain is intact", await intact.Content.ReadAsStringAsync());

        var victim = (await _audit.EventsAsync()).Last(e => e.Action == "file.uploaded");
        await _audit.TamperAsync(events => events.Where(e => e.Id == victim.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Details, "altered")));
        var broken = await admin.SubmitAsync("/audit", [], "form[action*=Verify]");
        Assert.Contains($"The chain is broken at event {victim.Id} (file.uploaded", await broken.Content.ReadAsStringAsync());
        await _audit.TamperAsync(events => events.Where(e => e.Id == victim.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Details, victim.Details)));
    }

    [Fact]
    public async Task Someone_who_is_not_a_framework_administrator_is_refused_and_the_attempt_recorded()
    {
        await app.AddPersonAsync("nosy.admin@camden.example", "London Borough of Camden", OrganisationRole.Editor);
        using var client = await app.SignInAsync("nosy.admin@camden.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/audit")).StatusCode);
        Assert.Contains(await _audit.EventsAsync("audit-trail"), e => e.Action == "access.refused" && e.Actor == "nosy.admin@camden.example");
    }
}
