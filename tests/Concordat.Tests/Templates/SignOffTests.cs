using System.Net;
using System.Net.Http.Json;
using Concordat.Agreements;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Templates.SignOff;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Templates;

/// <summary>Sign-off by every party: sent by the lead, reviewed by DPOs when asked, signed in any order, then active and published.</summary>
public sealed class SignOffTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{

    async Task<HttpClient> PersonAsync(string email, string organisation, OrganisationRole roles)
    {
        if (!await app.InDatabaseAsync(db => db.Users.AnyAsync(u => u.Email == email))) await app.AddPersonAsync(email, organisation, roles);
        return await app.SignInAsync(email);
    }

    /// <summary>Posts a sign-off action as the page's forms do; the error summary's text when refused, null when done.</summary>
    static async Task<string?> ActAsync(HttpClient client, int id, string handler, params (string Name, string Value)[] fields)
    {
        var token = (await client.GetPageAsync($"/agreements/{id}/sign-off")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await client.PostAsync($"/agreements/{id}/sign-off?handler={handler}",
            new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token))));
        return response.StatusCode == HttpStatusCode.Redirect ? null : response.ParseBody().ErrorSummaryText().Replace("There is a problem", "").Trim();
    }

    async Task<int> CompleteAgreementAsync(string title)
    {
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, await app.CompleteRecordAsync(title));
        var id = created["id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(api, id, "The agreement text."u8.ToArray(), "agreement.txt")).StatusCode);
        return id;
    }

    [Fact]
    public async Task Every_party_signs_after_its_officer_reviews_and_the_agreement_is_published_as_chosen()
    {
        var (lfb, camden) = (await app.OrganisationIdAsync("London Fire Brigade"), await app.OrganisationIdAsync("London Borough of Camden"));
        using var editor = await PersonAsync("signoff-editor@lfb.example", "London Fire Brigade", OrganisationRole.Editor);
        using var lfbSigner = await PersonAsync("signoff-signer@lfb.example", "London Fire Brigade", OrganisationRole.Signatory | OrganisationRole.DataProtectionOfficer);
        using var camdenDpo = await PersonAsync("signoff-dpo@camden.example", "London Borough of Camden", OrganisationRole.DataProtectionOfficer);
        using var camdenSigner = await PersonAsync("signoff-signer@camden.example", "London Borough of Camden", OrganisationRole.Signatory);
        using var stranger = await PersonAsync("signoff-signer@met.example", "Metropolitan Police Service", OrganisationRole.Signatory);

        // A record that fails a compliance rule cannot be sent.
        var bare = (await app.CreateAgreementAsync(await app.AdminApiAsync(), new { title = "Sign-off bare", leadOrganisationId = lfb }))["id"]!.GetValue<int>();
        Assert.StartsWith("Add every party before sending it", await ActAsync(editor, bare, "Send", ("PublishAs", "partners")));

        var id = await CompleteAgreementAsync("Sign-off referrals");
        Assert.Equal("Choose who can see the agreement once every party has signed", await ActAsync(editor, id, "Send"));
        Assert.Null(await ActAsync(editor, id, "Send", ("PublishAs", "partners"), ("DpoReview", "true")));
        Assert.Equal("The agreement is already out for sign-off", await ActAsync(editor, id, "Send", ("PublishAs", "partners")));
        Assert.Equal(AgreementStatus.AwaitingSignature, await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        // The DPOs are told first.
        var mail = Directory.GetFiles(app.MailFolder, "*.eml").Select(File.ReadAllText).Where(m => m.Contains("Sign-off referrals")).ToList();
        Assert.Contains(mail, m => m.Contains("signoff-dpo@camden.example") && m.Contains("For your review") && m.Contains($"http://localhost/agreements/{id}/sign-off"));

        // Out for sign-off, the draft is found by the parties' people, in search as on its pages.
        Assert.Contains("Sign-off referrals", (await camdenSigner.GetPageAsync("/search?q=referrals")).QuerySelector("main")!.TextContent);
        Assert.DoesNotContain("Sign-off referrals", (await stranger.GetPageAsync("/search?q=referrals")).QuerySelector("main")!.TextContent);

        // Refusals that change nothing: before the review; for a party one does not represent; declining without a reason.
        Assert.Equal("London Borough of Camden's data protection officer must review it first",
            await ActAsync(camdenSigner, id, "Sign", ("OrganisationId", camden.ToString())));
        Assert.Null(await ActAsync(camdenDpo, id, "Review", ("OrganisationId", camden.ToString()), ("Comment", "Retention is right for us.")));
        // Someone from no party cannot even see the draft, so their attempt is answered as for an agreement that does not exist.
        var token = (await stranger.GetPageAsync("/account")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/agreements/{id}/sign-off?handler=Sign",
            new FormUrlEncodedContent([new("OrganisationId", camden.ToString()), new("__RequestVerificationToken", token)]))).StatusCode);
        Assert.StartsWith("You cannot sign for London Borough of Camden", await ActAsync(editor, id, "Sign", ("OrganisationId", camden.ToString())));
        Assert.Equal("Say why you decline, so the lead organisation can put it right", await ActAsync(camdenSigner, id, "Decline", ("OrganisationId", camden.ToString())));

        Assert.Null(await ActAsync(camdenSigner, id, "Sign", ("OrganisationId", camden.ToString())));
        Assert.Equal("London Borough of Camden has already signed", await ActAsync(camdenSigner, id, "Sign", ("OrganisationId", camden.ToString())));
        Assert.Null(await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Id == id).Select(a => a.PublishedAt).SingleAsync()));

        Assert.Null(await ActAsync(lfbSigner, id, "Review", ("OrganisationId", lfb.ToString())));
        Assert.Null(await ActAsync(lfbSigner, id, "Sign", ("OrganisationId", lfb.ToString()), ("Comment", "Signed for the Commissioner.")));
        var done = await app.InDatabaseAsync(db => db.Agreements.AsNoTracking().Include(a => a.Files).SingleAsync(a => a.Id == id));
        Assert.Equal((AgreementStatus.Active, Visibility.Partners), (done.Status, done.Visibility));
        Assert.NotNull(done.PublishedAt);
        Assert.Contains(done.Files, f => f.Kind == FileKind.SignatureSheet);
        var events = await app.InDatabaseAsync(db => db.AuditEvents.Where(e => e.Subject == AgreementCommands.Subject(done.Reference) && e.Action.StartsWith("signoff.")).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["signoff.sent", "signoff.reviewed", "signoff.signed", "signoff.reviewed", "signoff.signed", "signoff.completed"], events);
        Assert.Contains(Directory.GetFiles(app.MailFolder, "*.eml").Select(File.ReadAllText), m => m.Contains("Signed by every party: Sign-off referrals"));
        // Its page tells the story to partners, oldest first; a party's review is a step of the sign-off, not a milestone.
        var timeline = (await camdenSigner.GetPageAsync($"/agreements/{id}")).QuerySelectorAll("#timeline + ol li").Select(li => li.LastChild!.TextContent.Trim()).ToList();
        Assert.Equal(["Added to the register, led by London Fire Brigade", "Sent to the parties to sign", "Signed by London Borough of Camden",
            "Signed by London Fire Brigade", "Published", "Signed by every party"], timeline);
        Assert.StartsWith("This sign-off has ended", await ActAsync(camdenSigner, id, "Sign", ("OrganisationId", camden.ToString())));
    }

    [Fact]
    public async Task A_changed_document_cannot_be_signed_and_a_decline_returns_it_to_the_lead()
    {
        var camden = await app.OrganisationIdAsync("London Borough of Camden");
        using var editor = await PersonAsync("signoff-editor2@lfb.example", "London Fire Brigade", OrganisationRole.Editor);
        using var camdenSigner = await PersonAsync("signoff-signer2@camden.example", "London Borough of Camden", OrganisationRole.Signatory);
        var id = await CompleteAgreementAsync("Sign-off changed");
        Assert.Null(await ActAsync(editor, id, "Send", ("PublishAs", "public")));

        // A new version of the document after sending: what was sent is superseded, so it cannot be signed.
        var api = await app.AdminApiAsync();
        var fileId = await app.InDatabaseAsync(db => db.AgreementFiles.Where(f => f.AgreementId == id && f.Kind == FileKind.Agreement).Select(f => f.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(api, id, "The agreement text, changed."u8.ToArray(), "agreement.txt",
            path: $"/api/v1/agreements/{id}/documents/{fileId}/versions")).StatusCode);
        Assert.StartsWith("The agreement has changed since it was sent", await ActAsync(camdenSigner, id, "Sign", ("OrganisationId", camden.ToString())));

        // The lead sends the changed text again; the first round is superseded.
        Assert.Null(await ActAsync(editor, id, "Send", ("PublishAs", "public")));
        Assert.Equal([SignOffState.Superseded, SignOffState.Open],
            await app.InDatabaseAsync(db => db.SignOffs.Where(r => r.AgreementId == id).OrderBy(r => r.Id).Select(r => r.State).ToListAsync()));

        // A decline, with its reason, returns it to the lead as a draft, who may send it again.
        Assert.Null(await ActAsync(camdenSigner, id, "Decline", ("OrganisationId", camden.ToString()), ("Comment", "Clause 10 needs our transfer method.")));
        var agreement = await app.InDatabaseAsync(db => db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal(AgreementStatus.Draft, agreement.Status);
        Assert.Null(agreement.PublishedAt);
        Assert.Contains("Clause 10 needs our transfer method.", (await editor.GetPageAsync($"/agreements/{id}/sign-off")).QuerySelector("main")!.TextContent);
        Assert.Null(await ActAsync(editor, id, "Send", ("PublishAs", "public")));
    }

    [Fact]
    public async Task A_party_added_after_activation_signs_alone_and_the_others_are_told()
    {
        var (camden, met) = (await app.OrganisationIdAsync("London Borough of Camden"), await app.OrganisationIdAsync("Metropolitan Police Service"));
        using var editor = await PersonAsync("signoff-editor3@lfb.example", "London Fire Brigade", OrganisationRole.Editor);
        using var lfbSigner = await PersonAsync("signoff-signer3@lfb.example", "London Fire Brigade", OrganisationRole.Signatory);
        using var camdenSigner = await PersonAsync("signoff-signer3@camden.example", "London Borough of Camden", OrganisationRole.Signatory);
        using var metSigner = await PersonAsync("signoff-signer3@met.example", "Metropolitan Police Service", OrganisationRole.Signatory);
        var id = await CompleteAgreementAsync("Sign-off joining");
        Assert.Null(await ActAsync(editor, id, "Send", ("PublishAs", "partners")));
        Assert.Null(await ActAsync(camdenSigner, id, "Sign", ("OrganisationId", camden.ToString())));
        Assert.Null(await ActAsync(lfbSigner, id, "Sign", ("OrganisationId", (await app.OrganisationIdAsync("London Fire Brigade")).ToString())));
        Assert.Equal("The agreement is already published, and every party has signed it", await ActAsync(editor, id, "Send"));

        // The police join the active agreement.
        var record = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(await app.CompleteRecordAsync("Sign-off joining")))!.AsObject();
        record["parties"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["organisationId"] = met, ["role"] = "recipient" });
        record["visibility"] = "partners";
        var put = await (await app.AdminApiAsync()).PutAsJsonAsync($"/api/v1/agreements/{id}", record);
        Assert.True(put.StatusCode == HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        var page = await editor.GetPageAsync($"/agreements/{id}/sign-off");
        Assert.Equal("Send to Metropolitan Police Service", page.QuerySelector("form[action*='handler=Send'] button")!.TextContent.Trim());
        Assert.Null(await ActAsync(editor, id, "Send"));
        Assert.Equal("The agreement is already out for sign-off", await ActAsync(editor, id, "Send"));
        var agreement = await app.InDatabaseAsync(db => db.Agreements.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal((AgreementStatus.Active, Visibility.Partners), (agreement.Status, agreement.Visibility)); // active throughout
        var mail = Directory.GetFiles(app.MailFolder, "*.eml").Select(File.ReadAllText).Where(m => m.Contains("Sign-off joining")).ToList();
        Assert.Contains(mail, m => m.Contains("signoff-signer3@met.example") && m.Contains("joining Sign-off joining") && m.Contains("Your organisation signs it alone"));
        Assert.Contains(mail, m => m.Contains("signoff-signer3@camden.example") && m.Contains("New party: Sign-off joining") && m.Contains("Your signature stands"));

        // Only the new party signs: the others have signed already.
        Assert.Equal("London Borough of Camden has already signed: only the parties added since sign off now",
            await ActAsync(camdenSigner, id, "Sign", ("OrganisationId", camden.ToString())));
        Assert.Null(await ActAsync(metSigner, id, "Sign", ("OrganisationId", met.ToString())));
        agreement = await app.InDatabaseAsync(db => db.Agreements.AsNoTracking().Include(a => a.Files).ThenInclude(f => f.Versions).SingleAsync(a => a.Id == id));
        Assert.Equal((AgreementStatus.Active, Visibility.Partners), (agreement.Status, agreement.Visibility));
        // The signature record is made again with every signature of the same text.
        var record2 = agreement.Files.Single(f => f.Kind == FileKind.SignatureSheet).Versions.MaxBy(v => v.Number)!;
        Assert.Equal(2, record2.Number);
        var text = await app.InDatabaseAsync(db => db.FileTexts.Where(t => t.Sha256 == record2.Sha256).Select(t => t.Text).SingleAsync());
        Assert.All(["London Fire Brigade", "London Borough of Camden", "Metropolitan Police Service", "signoff-signer3@met.example"], name => Assert.Contains(name, text));
        Assert.Contains(Directory.GetFiles(app.MailFolder, "*.eml").Select(File.ReadAllText), m => m.Contains("Joined: Sign-off joining") && m.Contains("signoff-signer3@camden.example"));
        var events = await app.InDatabaseAsync(db => db.AuditEvents.Where(e => e.Subject == AgreementCommands.Subject(agreement.Reference) && e.Action.StartsWith("signoff.")).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["signoff.sent", "signoff.signed", "signoff.signed", "signoff.completed", "signoff.sent-to-joining", "signoff.signed", "signoff.joined"], events);
        var signOff = await editor.GetPageAsync($"/agreements/{id}/sign-off");
        Assert.Null(signOff.QuerySelector("form[action*='handler=Send']"));
        var signed = signOff.QuerySelectorAll("table").Single(t => t.QuerySelector("caption")!.TextContent == "Who has signed it").QuerySelectorAll("tbody tr");
        Assert.Equal(["London Borough of Camden", "London Fire Brigade", "Metropolitan Police Service"], signed.Select(r => r.QuerySelector("td")!.TextContent).Order());

        // The text changes after every party signed it: each party signs the changed text, and until then the agreement stays active.
        var fileId = await app.InDatabaseAsync(db => db.AgreementFiles.Where(f => f.AgreementId == id && f.Kind == FileKind.Agreement).Select(f => f.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(await app.AdminApiAsync(), id, "The agreement text, changed after signing."u8.ToArray(),
            "agreement.txt", path: $"/api/v1/agreements/{id}/documents/{fileId}/versions")).StatusCode);
        Assert.Equal("Send the changed text to every party", (await editor.GetPageAsync($"/agreements/{id}/sign-off")).QuerySelector("form[action*='handler=Send'] button")!.TextContent.Trim());
        Assert.Null(await ActAsync(editor, id, "Send"));
        Assert.Contains(Directory.GetFiles(app.MailFolder, "*.eml").Select(File.ReadAllText),
            m => m.Contains("signoff-signer3@camden.example") && m.Contains("the changed text of Sign-off joining"));
        foreach (var (signer, organisation) in new[] { (camdenSigner, camden), (metSigner, met), (lfbSigner, await app.OrganisationIdAsync("London Fire Brigade")) })
        {
            Assert.Equal(AgreementStatus.Active, await app.InDatabaseAsync(db => db.Agreements.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
            Assert.Null(await ActAsync(signer, id, "Sign", ("OrganisationId", organisation.ToString())));
        }
        Assert.Contains(Directory.GetFiles(app.MailFolder, "*.eml").Select(File.ReadAllText), m => m.Contains("Signed again by every party: Sign-off joining"));
        Assert.Equal("The agreement is already published, and every party has signed it", await ActAsync(editor, id, "Send"));
    }
}
