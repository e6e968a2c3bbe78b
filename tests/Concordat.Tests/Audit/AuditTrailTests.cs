using System.Net;
using System.Net.Http.Json;
using System.Text;
using Concordat.Audit;
using Concordat.Cli;
using Concordat.Data;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Audit;

/// <summary>What the audit tests do to an app: read its events, verify the chain, tamper with the table.</summary>
public sealed class AuditProbe(ConcordatFactory app)
{
    public async Task<List<AuditEvent>> EventsAsync(string? subject = null)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        return await db.AuditEvents.AsNoTracking().Where(e => subject == null || e.Subject == subject).OrderBy(e => e.Id).ToListAsync();
    }

    public async Task<(int Exit, string Output, string Errors)> VerifyAsync()
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CommandLine.RunAsync(app.Services, ["audit", "verify"], output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    /// <summary>Changes the audit table behind the app's back, as someone with the database would.</summary>
    public async Task TamperAsync(Func<IQueryable<AuditEvent>, Task> change)
    {
        using var scope = app.Services.CreateScope();
        await change(scope.ServiceProvider.GetRequiredService<ConcordatDb>().AuditEvents);
    }

    public async Task<int> PublishedAgreementAsync(string title)
    {
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, await app.CompleteRecordAsync(title));
        var id = created["id"]!.GetValue<int>();
        await ConcordatFactory.UploadAsync(api, id, Fixtures.Pdf(title), "a.pdf");
        var changed = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(await app.CompleteRecordAsync(title)))!.AsObject();
        changed["purpose"] = "A changed purpose.";
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/agreements/{id}", changed)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/agreements/{id}/publish", null)).StatusCode);
        return id;
    }
}

/// <summary>Every change is an event in a hash chain that a command-line verb can check.</summary>
public sealed class AuditTrailTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    readonly AuditProbe _audit = new(app);

    [Fact]
    public async Task Creating_uploading_changing_and_publishing_are_events_with_who_and_before_and_after()
    {
        var id = await _audit.PublishedAgreementAsync("Audited agreement");

        var reference = (await (await app.AdminApiAsync()).GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/agreements/{id}"))!["reference"]!.GetValue<string>();
        var events = await _audit.EventsAsync($"agreement:{reference}");

        Assert.Equal(["agreement.created", "file.uploaded", "agreement.updated", "agreement.published"], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(ConcordatFactory.AdminEmail, e.Actor));
        var update = events.Single(e => e.Action == "agreement.updated").Details;
        Assert.Contains("\"before\"", update);
        Assert.Contains("A changed purpose.", update);
        Assert.Contains("home fire safety visit", update);
        Assert.Equal(0, (await _audit.VerifyAsync()).Exit);

        var signedIn = await app.SignedInClientAsync();
        var history = (await signedIn.GetPageAsync($"/agreements/{id}")).QuerySelectorAll("table").Last().TextContent;
        Assert.Contains("Record changed", history);
        Assert.Contains("Published", history);
        using var anonymous = app.CreateClient();
        Assert.DoesNotContain(ConcordatFactory.AdminEmail, await anonymous.GetStringAsync($"/agreements/{id}"));
    }

    [Fact]
    public async Task Tokens_and_sign_ins_are_audited_without_the_secret()
    {
        var token = await app.CreateTokenAsync(ConcordatFactory.AdminEmail, ConcordatFactory.AdminPassword);
        using (var client = app.CreateClient())
            await client.PostAsJsonAsync("/api/v1/tokens", new { email = ConcordatFactory.AdminEmail, password = "wrong password entirely" });

        var events = await _audit.EventsAsync();

        Assert.Contains(events, e => e.Action == "token.created" && e.Actor == ConcordatFactory.AdminEmail && e.Subject == $"person:{ConcordatFactory.AdminEmail}");
        Assert.Contains(events, e => e.Action == "sign-in.failed" && e.Subject == $"person:{ConcordatFactory.AdminEmail}");
        Assert.DoesNotContain(events, e => e.Details.Contains(token));
    }

    [Fact]
    public async Task Altering_an_event_in_the_database_is_caught_by_audit_verify_naming_the_event()
    {
        await _audit.PublishedAgreementAsync("Tamper target");
        var victim = (await _audit.EventsAsync()).First(e => e.Action == "agreement.published");
        var (exitBefore, output, _) = await _audit.VerifyAsync();
        Assert.Equal(0, exitBefore);
        Assert.Contains("intact", output);

        await _audit.TamperAsync(events => events.Where(e => e.Id == victim.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, "someone else")));
        var (exit, _, errors) = await _audit.VerifyAsync();

        Assert.Equal(1, exit);
        Assert.Contains($"broken at event {victim.Id}", errors);
        await _audit.TamperAsync(events => events.Where(e => e.Id == victim.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.Actor, victim.Actor)));
        Assert.Equal(0, (await _audit.VerifyAsync()).Exit);
    }

    [Fact]
    public async Task Concurrent_changes_keep_the_chain_in_one_line()
    {
        var api = await app.AdminApiAsync();
        var lead = await app.OrganisationIdAsync("Peabody");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            api.PostAsJsonAsync("/api/v1/agreements", new { title = $"Concurrent {i}", leadOrganisationId = lead })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var references = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["reference"]!.GetValue<string>()));
        Assert.Equal(8, references.Distinct().Count());

        using var scope = app.Services.CreateScope();
        var (count, broken, why) = await AuditTrail.VerifyAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), CancellationToken.None);
        Assert.True(broken is null, $"broken at {broken?.Id}: {why}");
        Assert.True(count >= 8);
    }
}

/// <summary>Its own app: deleting an event breaks that database's chain for good.</summary>
public sealed class AuditDeletionTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    readonly AuditProbe _audit = new(app);

    [Fact]
    public async Task Deleting_an_event_from_the_middle_is_caught()
    {
        await _audit.PublishedAgreementAsync("Deletion target");
        var events = await _audit.EventsAsync();
        var middle = events[events.Count / 2];
        var next = events[events.Count / 2 + 1];

        await _audit.TamperAsync(events => events.Where(e => e.Id == middle.Id).ExecuteDeleteAsync());
        var (exit, _, errors) = await _audit.VerifyAsync();

        Assert.Equal(1, exit);
        Assert.Contains($"broken at event {next.Id}", errors);
        Assert.Contains("does not follow", errors);
    }

}

public sealed class DraftDownloadAuditTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task Downloading_a_file_the_public_cannot_see_is_recorded()
    {
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, new { title = "Draft download", leadOrganisationId = await app.OrganisationIdAsync("Shelter") });
        var doc = (await (await ConcordatFactory.UploadAsync(api, created["id"]!.GetValue<int>(), Encoding.UTF8.GetBytes("draft words"), "d.txt")).Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(doc["contentUrl"]!.GetValue<string>())).StatusCode);

        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == "file.downloaded" && e.Subject == $"agreement:{created["reference"]}" && e.Actor == ConcordatFactory.AdminEmail));
    }
}
