using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Accounts.People;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Tests.Organisations;

/// <summary>A duplicate organisation (one an import added beside a seeded borough) merged into the one to keep.</summary>
public sealed class MergeTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task Merging_a_duplicate_moves_its_agreements_people_and_invitations_and_removes_it()
    {
        var lambeth = await app.OrganisationIdAsync("London Borough of Lambeth");
        var lfb = await app.OrganisationIdAsync("London Fire Brigade");
        var duplicate = await app.InDatabaseAsync(async db =>
        {
            var o = new Organisation { Name = "London Borough of Lambeth Council", Type = OrganisationType.OtherPublicBody, IcoNumber = "Z1234567" };
            db.Organisations.Add(o);
            await db.SaveChangesAsync();
            return o.Id;
        });
        await app.AddPersonAsync("both.hats@lambeth.example", "London Borough of Lambeth Council", OrganisationRole.Editor);
        await app.InDatabaseAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == "both.hats@lambeth.example");
            db.Memberships.Add(new Membership { UserId = user.Id, OrganisationId = lambeth, Roles = OrganisationRole.Signatory, CreatedAt = DateTimeOffset.UtcNow });
            db.Invitations.Add(new Invitation { Email = "new.officer@lambeth.example", OrganisationId = duplicate, Roles = OrganisationRole.Editor, Hash = "merge-test-hash",
                InvitedBy = "test", CreatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddDays(7) });
            return await db.SaveChangesAsync();
        });
        using var api = await app.AdminApiAsync();
        var id = (await app.CreateAgreementAsync(api, new
        {
            title = "Lambeth hoarding panel",
            leadOrganisationId = duplicate,
            parties = new[] { new { organisationId = duplicate, role = "joint-controller" }, new { organisationId = lambeth, role = "joint-controller" },
                new { organisationId = lfb, role = "recipient" } },
            dataFlows = new[]
            {
                new { fromOrganisationId = duplicate, toOrganisationId = lambeth, dataItems = "Case notes", frequency = "weekly" },
                new { fromOrganisationId = duplicate, toOrganisationId = lfb, dataItems = "Address and risk", frequency = "on-request" },
            },
        }))["id"]!.GetValue<int>();
        var outboxBefore = await app.LastOutboxEntryAsync();

        using var admin = await app.SignedInClientAsync();
        var page = await admin.GetPageAsync($"/organisations/{duplicate}/merge");
        Assert.Contains("Merge London Borough of Lambeth Council into another organisation", page.QuerySelector("h1")!.TextContent);
        var refused = await admin.SubmitAsync($"/organisations/{duplicate}/merge", [new("Into", "")]);
        Assert.Contains("Choose the organisation to keep", refused.ParseBody().ErrorSummary());
        var merged = await admin.SubmitAsync($"/organisations/{duplicate}/merge", [new("Into", lambeth.ToString())]);

        Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
        Assert.Equal($"/organisations/{lambeth}", merged.Headers.Location!.OriginalString);
        var agreement = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agreements/{id}"))!;
        Assert.Equal(lambeth, agreement["leadOrganisation"]!["id"]!.GetValue<int>());
        Assert.Equal([lambeth, lfb], agreement["parties"]!.AsArray().Select(p => p!["organisationId"]!.GetValue<int>()).Order());
        // The flow from the borough to itself is gone; the other comes from the kept borough.
        var flow = Assert.Single(agreement["dataFlows"]!.AsArray());
        Assert.Equal(lambeth, flow!["from"]!["id"]!.GetValue<int>());
        var (roles, invitation, stillThere, ico) = await app.InDatabaseAsync(async db => (
            await db.Memberships.Where(m => m.OrganisationId == lambeth && db.Users.Any(u => u.Id == m.UserId && u.Email == "both.hats@lambeth.example")).Select(m => m.Roles).SingleAsync(),
            await db.Invitations.Where(i => i.Hash == "merge-test-hash").Select(i => i.OrganisationId).SingleAsync(),
            await db.Organisations.AnyAsync(o => o.Id == duplicate),
            await db.Organisations.Where(o => o.Id == lambeth).Select(o => o.IcoNumber).SingleAsync()));
        Assert.Equal(OrganisationRole.Editor | OrganisationRole.Signatory, roles);
        Assert.Equal(lambeth, invitation);
        Assert.False(stillThere);
        Assert.Equal("Z1234567", ico);
        Assert.True(await app.LastOutboxEntryAsync() > outboxBefore, "the agreement was not queued for the search index");
        Assert.Contains(await new Audit.AuditProbe(app).EventsAsync("organisation:London Borough of Lambeth"),
            e => e.Action == "organisation.merged" && e.Details.Contains("\"from\":\"London Borough of Lambeth Council\""));
    }

    /// <summary>The same manifest imported under both names made each agreement twice with the same key; the merge still goes through.</summary>
    [Fact]
    public async Task A_duplicate_holding_the_same_imported_agreements_merges_and_the_moved_ones_let_go_of_their_key()
    {
        var bexley = await app.OrganisationIdAsync("London Borough of Bexley");
        var duplicate = await app.InDatabaseAsync(async db =>
        {
            var o = new Organisation { Name = "LONDON BOROUGH OF BEXLEY COUNCIL", Type = OrganisationType.OtherPublicBody };
            db.Organisations.Add(o);
            await db.SaveChangesAsync();
            return o.Id;
        });
        using var api = await app.AdminApiAsync();
        var kept = (await app.CreateAgreementAsync(api, new { title = "Bexley referrals", leadOrganisationId = bexley }))["id"]!.GetValue<int>();
        var moved = (await app.CreateAgreementAsync(api, new { title = "Bexley referrals", leadOrganisationId = duplicate }))["id"]!.GetValue<int>();
        await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Id == kept || a.Id == moved).ExecuteUpdateAsync(u => u.SetProperty(a => a.ImportKey, "title:bexley-referrals")));

        using var admin = await app.SignedInClientAsync();
        var merged = await admin.SubmitAsync($"/organisations/{duplicate}/merge", [new("Into", bexley.ToString())]);

        Assert.Equal(HttpStatusCode.Redirect, merged.StatusCode);
        var keys = await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Id == kept || a.Id == moved).OrderBy(a => a.Id).Select(a => new { a.LeadOrganisationId, a.ImportKey }).ToListAsync());
        Assert.All(keys, k => Assert.Equal(bexley, k.LeadOrganisationId));
        Assert.Equal(["title:bexley-referrals", null], keys.Select(k => k.ImportKey));
    }
}
