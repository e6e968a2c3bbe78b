using System.Net;
using Concordat.Organisations;
using Concordat.Tests.Audit;
using Concordat.Tests.Support;

namespace Concordat.Tests.Organisations;

/// <summary>An organisation's administrators record its assurance; partners read it; nothing is required.</summary>
public sealed class AssuranceTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    const string AdminKey = "ASSURANCEADMINKEY234567ABCDEFGHI";
    const string Admin = "ig.admin@hackney.example";
    const string Hackney = "London Borough of Hackney";

    async Task<HttpClient> AdministratorAsync()
    {
        if ((await new AuditProbe(app).EventsAsync()).All(e => e.Actor != Admin))
            try { await app.AddPersonAsync(Admin, Hackney, OrganisationRole.Administrator, AdminKey); } catch (Exception) { /* already added by another test */ }
        return await app.SignInAsync(Admin, AdminKey);
    }

    [Fact]
    public async Task An_organisation_administrator_records_assurance_that_partners_see_with_expired_items_flagged()
    {
        using var admin = await AdministratorAsync();
        var hackney = await app.OrganisationIdAsync(Hackney);
        var saved = await admin.SubmitAsync($"/organisations/{hackney}/assurance",
        [
            new("IcoNumber", "z1234567"), new("IcoExpiry.Day", "1"), new("IcoExpiry.Month", "1"), new("IcoExpiry.Year", "2020"),
            new("Dspt", "standards-met"), new("DsptDate.Day", "30"), new("DsptDate.Month", "6"), new("DsptDate.Year", "2026"),
            new("CyberEssentials", "cyber-essentials-plus"), new("CyberEssentialsExpiry.Day", "31"), new("CyberEssentialsExpiry.Month", "12"), new("CyberEssentialsExpiry.Year", "2030"),
            new("DataProtectionOfficer", "Data Protection Officer, dpo@hackney.example"),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        using var anyone = app.CreateClient();
        var page = await anyone.GetPageAsync($"/organisations/{hackney}");
        var text = page.Body!.TextContent;
        Assert.Contains("Z1234567, Expired 1 January 2020", text);
        Assert.Contains("Cyber Essentials Plus, Valid until 31 December 2030", text);
        Assert.Contains("ISO 27001", text); // not held, and that is fine: no flag
        Assert.Single(page.QuerySelectorAll(".govuk-tag--red"));

        var change = (await new AuditProbe(app).EventsAsync($"organisation:{hackney}")).Last();
        Assert.Equal(("organisation.assurance-changed", Admin, (int?)hackney), (change.Action, change.Actor, change.OrganisationId));
        Assert.Contains("\"after\":{\"icoNumber\":\"Z1234567\"", change.Details);
    }

    [Fact]
    public async Task Mistakes_in_the_assurance_form_are_named_and_nothing_is_saved()
    {
        using var admin = await AdministratorAsync();
        var hackney = await app.OrganisationIdAsync(Hackney);
        var response = await admin.SubmitAsync($"/organisations/{hackney}/assurance",
        [
            new("IcoNumber", "12345"), new("IcoExpiry.Day", "30"), new("IcoExpiry.Month", "2"), new("IcoExpiry.Year", "2027"),
            new("CyberEssentials", "cyber-essentials"), new("Dspt", "excellent"),
        ]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
        [
            "Enter the ICO registration number as it appears on the ICO register, like Z1234567 or ZA123456",
            "Enter the ICO registration expiry as a real date, for example 27 3 2027",
            "Select the Data Security and Protection Toolkit status",
            "Enter the date the Cyber Essentials certificate expires",
        ], response.ParseBody().ErrorSummary());
    }

    [Fact]
    public async Task A_member_or_an_administrator_of_another_organisation_cannot_change_it()
    {
        await app.AddPersonAsync("plain.member@hackney.example", Hackney);
        using var member = await app.SignInAsync("plain.member@hackney.example");
        var hackney = await app.OrganisationIdAsync(Hackney);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/organisations/{hackney}/assurance")).StatusCode);
        using var admin = await AdministratorAsync();
        var camden = await app.OrganisationIdAsync("London Borough of Camden");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync($"/organisations/{camden}/assurance")).StatusCode);
        Assert.Contains(await new AuditProbe(app).EventsAsync($"organisation:{camden}"), e => e.Action == "access.refused" && e.Actor == Admin);
    }
}
