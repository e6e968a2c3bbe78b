using System.Net;
using Concordat.Organisations;
using Concordat.Tests.Support;

namespace Concordat.Tests.Agreements;

/// <summary>Compliance on the pages: for signed-in partners, over what each may see.</summary>
public sealed class CompliancePageTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task Partners_see_each_agreements_check_and_the_register_overview_counts_only_what_they_may_see()
    {
        var admin = await app.AdminApiAsync();
        var open = await app.CreateAgreementAsync(admin, new { title = "Compliance open", leadOrganisationId = await app.OrganisationIdAsync("London Fire Brigade"), visibility = "partners" });
        await app.CreateAgreementAsync(admin, new { title = "Compliance closed", leadOrganisationId = await app.OrganisationIdAsync("London Fire Brigade"), visibility = "parties-only" });
        await app.AddPersonAsync("compliance-member@camden.example", "London Borough of Camden");
        using var member = await app.SignInAsync("compliance-member@camden.example");

        // The member may not see drafts at all; the administrator sees both and their checks.
        using var adminPages = await app.SignedInClientAsync();
        var page = await adminPages.GetPageAsync($"/agreements/{open["id"]}");
        var rows = page.QuerySelectorAll("#compliance + p + table tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(13, rows.Count);
        Assert.Contains(rows, r => r.Contains("Purpose stated") && r.Contains("Fails") && r.Contains("No purpose is recorded"));

        var overview = await adminPages.GetPageAsync("/compliance");
        var purpose = overview.QuerySelectorAll("table tbody tr").Single(r => r.QuerySelector("th")!.TextContent.Trim().StartsWith("Purpose stated"));
        var failing = int.Parse(purpose.QuerySelectorAll("td")[0].TextContent);
        Assert.True(failing >= 2);
        var listed = await adminPages.GetPageAsync("/compliance?rule=purpose");
        Assert.Contains("Compliance closed", listed.QuerySelector("main")!.TextContent);

        var memberOverview = await member.GetPageAsync("/compliance");
        Assert.DoesNotContain("Compliance closed", (await member.GetPageAsync("/compliance?rule=purpose")).QuerySelector("main")!.TextContent);
        Assert.DoesNotContain("Compliance open", (await member.GetPageAsync("/compliance?rule=purpose")).QuerySelector("main")!.TextContent);
        Assert.Contains("Compliance across the register", memberOverview.QuerySelector("h1")!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/compliance?rule=no-such-rule")).StatusCode);

        await app.AddAccountWithoutOrganisationAsync("compliance-nobody@example.com");
        using var nobody = await app.SignInAsync("compliance-nobody@example.com");
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.GetAsync("/compliance")).StatusCode);
    }
}
