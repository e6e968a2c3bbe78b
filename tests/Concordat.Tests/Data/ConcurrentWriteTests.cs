using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Concordat.Agreements;
using Concordat.Audit;
using Concordat.Cli;
using Concordat.Organisations;
using Concordat.Search;
using Concordat.Templates;
using Concordat.Templates.Departures;
using Concordat.Templates.SignOff;
using Concordat.Tests.Audit;
using Concordat.Tests.Support;
using Concordat.Tests.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Data;

/// <summary>
/// Writes that collide, on whichever database the run uses. Each race holds the database's write lock while the requests
/// are sent, so every one of them has read what it needs before any can write; releasing the lock lets them all write at
/// once. Afterwards each change counts, and the audit chain is still one line.
/// </summary>
public sealed class ConcurrentWriteTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    readonly AuditProbe _audit = new(app);

    /// <summary>A form post made ready (its page read, its anti-forgery token taken) so that it can be sent later.</summary>
    static Task<Func<Task<HttpResponseMessage>>> PreparePostAsync(HttpClient client, string page, string formSelector, params (string Name, string Value)[] fields) =>
        PreparePostAsync(client, page, formSelector, null, fields);

    /// <param name="action">where the button posts, when it is not the form's own action</param>
    static async Task<Func<Task<HttpResponseMessage>>> PreparePostAsync(HttpClient client, string page, string formSelector, string? action, params (string Name, string Value)[] fields)
    {
        var document = await client.GetPageAsync(page);
        var form = (IHtmlFormElement?)document.QuerySelector(formSelector) ?? throw new InvalidOperationException($"No form {formSelector} on {page}");
        var token = ((IHtmlInputElement)form.QuerySelector("input[name=__RequestVerificationToken]")!).Value;
        action ??= form.GetAttribute("action") is { Length: > 0 } a ? a : page;
        var content = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token)).ToList();
        return () => client.PostAsync(action, new FormUrlEncodedContent(content));
    }

    /// <summary>Sends every request while writes are held back, gives them time to read, then lets them write together.</summary>
    async Task<HttpResponseMessage[]> ReleasedTogetherAsync(params Func<Task<HttpResponseMessage>>[] requests)
    {
        Task<HttpResponseMessage[]> sent;
        await using (await app.HoldWritesAsync())
        {
            sent = Task.WhenAll(requests.Select(r => Task.Run(r)));
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(sent.IsCompleted, "the requests should be waiting to write");
        }
        var responses = await sent.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(responses.All(r => (int)r.StatusCode < 500), "a request failed:\n" + string.Join("\n", app.Logs.Entries.Select(e => e.Message)));
        return responses;
    }

    async Task AssertChainIntactAsync()
    {
        var (exit, output, errors) = await _audit.VerifyAsync();
        Assert.True(exit == 0, output + errors);
    }

    async Task<HttpClient> PersonAsync(string email, string organisation, OrganisationRole roles)
    {
        if (!await app.InDatabaseAsync(db => db.Users.AnyAsync(u => u.Email == email))) await app.AddPersonAsync(email, organisation, roles);
        return await app.SignInAsync(email);
    }

    [Fact]
    public async Task The_last_two_parties_signing_at_once_complete_the_round()
    {
        using var api = await app.AdminApiAsync();
        var id = (await app.CreateAgreementAsync(api, await app.CompleteRecordAsync("Race to sign")))["id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(api, id, "The agreement text."u8.ToArray(), "agreement.txt")).StatusCode);
        using var editor = await PersonAsync("race-editor@lfb.example", "London Fire Brigade", OrganisationRole.Editor);
        using var lfbSigner = await PersonAsync("race-signer@lfb.example", "London Fire Brigade", OrganisationRole.Signatory);
        using var camdenSigner = await PersonAsync("race-signer@camden.example", "London Borough of Camden", OrganisationRole.Signatory);
        var page = $"/agreements/{id}/sign-off";
        Assert.Equal(HttpStatusCode.Redirect, (await (await PreparePostAsync(editor, page, "form[action*='handler=Send']", ("PublishAs", "partners")))()).StatusCode);
        var (lfb, camden) = (await app.OrganisationIdAsync("London Fire Brigade"), await app.OrganisationIdAsync("London Borough of Camden"));

        var responses = await ReleasedTogetherAsync(
            await PreparePostAsync(lfbSigner, page, "main form[method=post]", $"{page}?handler=Sign", ("OrganisationId", lfb.ToString())),
            await PreparePostAsync(camdenSigner, page, "main form[method=post]", $"{page}?handler=Sign", ("OrganisationId", camden.ToString())));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var round = await app.InDatabaseAsync(db => db.SignOffs.AsNoTracking().Include(s => s.Parties).SingleAsync(s => s.AgreementId == id));
        Assert.All(round.Parties, p => Assert.Equal(PartyDecision.Signed, p.Decision));
        Assert.Equal(SignOffState.Completed, round.State);
        Assert.Equal(AgreementStatus.Active, await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        await AssertChainIntactAsync();
    }

    [Fact]
    public async Task Two_approvers_approving_a_template_version_at_once_both_count_and_pre_approve_it()
    {
        // A second version in review, as "send for review" leaves it.
        var (templateId, number) = await app.InDatabaseAsync(async db =>
        {
            var template = await db.Templates.Include(t => t.Versions).FirstAsync(t => t.Type == TemplateType.InformationSharing);
            var current = await db.TemplateVersions.AsNoTracking().Where(v => v.TemplateId == template.Id).OrderBy(v => v.Number).LastAsync();
            var version = new TemplateVersion
            {
                Number = current.Number + 1, State = TemplateState.InReview, CreatedAt = DateTimeOffset.UtcNow, CreatedBy = "race",
                Questions = current.Questions, Sections = current.Sections, ChangeNote = "A race between approvers",
            };
            template.Versions.Add(version);
            await db.SaveChangesAsync();
            return (template.Id, version.Number);
        });
        using var first = await app.SignedInClientAsync();
        using var second = await app.FrameworkApproverAsync("race-approver@framework.example", "RACEAPPROVERKEY234567ABCDEFGHIJK");
        var page = $"/templates/{templateId}?version={number}";

        var responses = await ReleasedTogetherAsync(
            await PreparePostAsync(first, page, "form[action*='Approve']", ("number", number.ToString()), ("Advice", "Legal services reviewed it.")),
            await PreparePostAsync(second, page, "form[action*='Approve']", ("number", number.ToString()), ("Advice", "The centre of expertise agreed.")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var stored = await app.InDatabaseAsync(db => db.TemplateVersions.AsNoTracking().Include(v => v.Approvals).SingleAsync(v => v.TemplateId == templateId && v.Number == number));
        Assert.Equal(2, stored.Approvals.Count);
        Assert.Equal(TemplateState.PreApproved, stored.State);
        await AssertChainIntactAsync();
    }

    [Fact]
    public async Task Two_approvers_approving_a_departure_at_once_both_count_and_approve_it()
    {
        using var editor = await Drafts.BrigadeEditorAsync(app, "race-drafter@lfb.example");
        var draft = await Drafts.AnswerEverythingAsync(app, editor, "Racing departure");
        var security = (await editor.GetPageAsync($"{draft}/wording/security")).QuerySelector("textarea")!.TextContent;
        await Drafts.AnswerAsync(editor, $"{draft}/wording/security", ("Wording", security + "\n\nLaptops are encrypted by 2028."));
        var (created, _) = await Drafts.AnswerAsync(editor, $"{draft}/check");
        var id = int.Parse(created!.Split('/')[^1]);
        using var first = await app.SignedInClientAsync();
        using var second = await app.FrameworkApproverAsync("race-departures@framework.example", "RACEDEPARTUREKEY234567ABCDEFGHIJ");
        var page = $"/agreements/{id}/departures";

        var responses = await ReleasedTogetherAsync(
            await PreparePostAsync(first, page, "main form[method=post]", ("Advice", "Legal services reviewed the change.")),
            await PreparePostAsync(second, page, "main form[method=post]", ("Advice", "The centre of expertise agreed.")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Redirect, r.StatusCode));
        var departure = await app.InDatabaseAsync(db => db.TemplateDepartures.AsNoTracking().SingleAsync(d => d.AgreementId == id));
        Assert.Equal(2, departure.Approvals.Count);
        Assert.NotNull(departure.ApprovedAt);
        await AssertChainIntactAsync();
    }

    [Fact]
    public async Task Agreements_created_at_once_through_the_api_and_an_import_take_distinct_references_in_order()
    {
        using var api = await app.AdminApiAsync();
        var manifest = ImportFolder.Write(Path.Combine(app.Root, "race-import"), "Imported race", 3);
        var before = await app.InDatabaseAsync(db => db.Agreements.CountAsync());

        Task<int> import;
        Task<HttpResponseMessage[]> creates;
        await using (await app.HoldWritesAsync())
        {
            import = Task.Run(() => CommandLine.RunAsync(app.Services, ["import", "--manifest", manifest], new StringWriter(), new StringWriter()));
            creates = Task.WhenAll(Enumerable.Range(1, 4).Select(async i => await api.PostAsJsonAsync("/api/v1/agreements", await app.CompleteRecordAsync($"Created race {i}"))));
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        Assert.Equal(0, await import.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.All(await creates.WaitAsync(TimeSpan.FromSeconds(60)), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var references = await app.InDatabaseAsync(db => db.Agreements.OrderBy(a => a.Id).Select(a => a.Reference).ToListAsync());
        Assert.Equal(before + 7, references.Count);
        var prefix = $"DSA-{DateTimeOffset.UtcNow.Year}-";
        var numbers = references.Where(r => r.StartsWith(prefix)).Select(r => int.Parse(r[prefix.Length..])).Order().ToList();
        Assert.Equal(Enumerable.Range(1, numbers.Count), numbers); // no number twice, none skipped
        await AssertChainIntactAsync();
    }

    [Fact]
    public async Task The_command_line_importing_while_the_app_saves_keeps_one_audit_chain()
    {
        using var api = await app.AdminApiAsync();
        var manifest = ImportFolder.Write(Path.Combine(app.Root, "cli-import"), "Command line import", 8);

        // Another process, with a lock of its own in memory: only the database's lock keeps the two in one line.
        var cli = ShippedApp.RunAsync(ShippedApp.BesideApp(app), "import", "--manifest", manifest, "--as", ConcordatFactory.AdminEmail);
        var saved = 0;
        while (!cli.IsCompleted)
        {
            var response = await api.PostAsJsonAsync("/api/v1/agreements", await app.CompleteRecordAsync($"Saved beside the command line {++saved}"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        var (exit, output, errors) = await cli;
        Assert.True(exit == 0, output + errors);
        Assert.Equal(8, await app.InDatabaseAsync(db => db.Agreements.CountAsync(a => a.Title.StartsWith("Command line import"))));
        Assert.True(saved > 1, "the app saved while the command line ran");
        await AssertChainIntactAsync();
    }

    [Fact]
    public async Task A_save_that_commits_after_a_later_one_started_is_still_indexed()
    {
        using var api = await app.AdminApiAsync();
        var first = (await app.CreateAgreementAsync(api, await app.CompleteRecordAsync("Interleaved first")))["id"]!.GetValue<int>();
        var second = (await app.CreateAgreementAsync(api, await app.CompleteRecordAsync("Interleaved second")))["id"]!.GetValue<int>();

        // The first change is saved inside a transaction that stays open; the second is saved meanwhile by another writer.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Concordat.Data.ConcordatDb>();
        await using var open = await db.Database.BeginTransactionAsync();
        var agreement = await db.Agreements.SingleAsync(a => a.Id == first);
        (agreement.Title, agreement.UpdatedAt) = ("Interleaved quoll", DateTimeOffset.UtcNow);
        await db.SaveChangesAsync();

        var later = Task.Run(() => app.InDatabaseAsync(async other =>
        {
            var a = await other.Agreements.SingleAsync(x => x.Id == second);
            (a.Title, a.UpdatedAt) = ("Interleaved numbat", DateTimeOffset.UtcNow);
            return await other.SaveChangesAsync();
        }));
        // The later save waits: an outbox entry cannot commit ahead of one drawn before it.
        await Task.WhenAny(later, Task.Delay(TimeSpan.FromSeconds(2)));
        Assert.False(later.IsCompleted, "the second save should wait for the first transaction");
        await open.CommitAsync();
        await later.WaitAsync(TimeSpan.FromSeconds(30));

        var index = app.Services.GetRequiredService<SearchIndex>();
        var last = await app.LastOutboxEntryAsync();
        for (var i = 0; i < 200 && index.AppliedSequence < last; i++) await Task.Delay(50);
        foreach (var word in new[] { "quoll", "numbat" })
        {
            var found = await api.GetFromJsonAsync<JsonObject>($"/api/v1/search?q={word}");
            Assert.Equal([$"Interleaved {word}"], found!["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
        }
    }
}
