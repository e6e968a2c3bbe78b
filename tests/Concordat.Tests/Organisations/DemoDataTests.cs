using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Tests.Support;

namespace Concordat.Tests.Organisations;

public sealed class DemoFactory : ConcordatFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Concordat:DemoData"] = "true" };
}

/// <summary>A fresh start with demo data shows a newcomer a populated register.</summary>
public sealed class DemoDataTests(DemoFactory app) : IClassFixture<DemoFactory>
{
    [Fact]
    public async Task The_demo_register_has_at_least_sixty_agreements_with_documents_between_real_bodies()
    {
        using var admin = await app.AdminApiAsync();
        var all = await admin.GetFromJsonAsync<JsonObject>("/api/v1/agreements?pageSize=1");
        Assert.True(all!["total"]!.GetValue<int>() >= 60, $"only {all["total"]} demo agreements");
        // The public sees most of them; some are for partners or the parties alone, and a few are drafts.
        using var client = app.CreateClient();
        var list = await client.GetFromJsonAsync<JsonObject>("/api/v1/agreements?pageSize=100");
        var publicTotal = list!["total"]!.GetValue<int>();
        Assert.InRange(publicTotal, 30, all["total"]!.GetValue<int>() - 10);

        var first = await client.GetFromJsonAsync<JsonObject>(list["items"]![0]!["url"]!.GetValue<string>());
        var document = first!["files"]![0]!["versions"]![0]!;
        Assert.True(document["hasText"]!.GetValue<bool>());
        Assert.True(document["pageCount"] is null || document["pageCount"]!.GetValue<int>() >= 3);
    }

    [Fact]
    public async Task London_fire_brigade_sees_its_whole_portfolio_on_one_page()
    {
        var lfb = await app.OrganisationIdAsync("London Fire Brigade");
        using var client = app.CreateClient();
        var total = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/agreements?organisation={lfb}&pageSize=1"))!["total"]!.GetValue<int>();
        Assert.True(total >= 8, $"LFB is party to {total} public demo agreements");

        var page = await client.GetPageAsync($"/organisations/{lfb}");

        Assert.Equal(total, page.QuerySelectorAll("tbody tr").Length);
    }

    [Fact]
    public async Task The_demo_register_has_agreements_drafted_from_the_starter_templates()
    {
        using var client = app.CreateClient();
        var drafted = (await client.GetPageAsync("/search?origin=template")).QuerySelector("main")!.TextContent;
        Assert.Contains("Hospital discharge home fire safety visits: Camden", drafted);
        Assert.Contains("Anti-social behaviour case disclosures: Hackney", drafted);
        // One is still a draft that changes wording its template fixes, waiting for the framework's approvers.
        using var admin = await app.SignedInClientAsync();
        var waiting = (await admin.GetPageAsync("/templates")).QuerySelectorAll("main a").Single(a => a.TextContent == "Hoarding panel referrals: Islington");
        var departures = await admin.GetPageAsync(waiting.GetAttribute("href")!);
        Assert.Contains("hoarding panel's chair", string.Concat(departures.QuerySelectorAll("main pre ins").Select(i => i.TextContent)));
        Assert.NotNull(departures.QuerySelector("main form")); // the demo made the change, so an administrator may approve it
    }
}
