using System.Net;
using Concordat.Agreements;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Templates.Departures;
using Concordat.Templates.Drafting;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Tests.Templates;

/// <summary>
/// A drafted agreement in the register changes through its draft, so its record and documents never disagree; and
/// wording the framework fixed can be changed only as a departure the framework's approvers approve.
/// </summary>
public sealed class DraftRevisionTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    const string Editor = "reviser@lfb.example";

    Task<HttpClient> EditorAsync() => Drafts.BrigadeEditorAsync(app, Editor);

    Task<Agreement> AgreementAsync(int id) => app.InDatabaseAsync(db => db.Agreements.AsNoTracking().AsSplitQuery()
        .Include(a => a.Files).ThenInclude(f => f.Versions).SingleAsync(a => a.Id == id));

    async Task<string> LatestHtmlTextAsync(int id)
    {
        var agreement = await AgreementAsync(id);
        var sha = agreement.Files.Single(f => f.Versions[0].FileName.EndsWith(".html")).Versions.MaxBy(v => v.Number)!.Sha256;
        return await app.InDatabaseAsync(db => db.FileTexts.Where(t => t.Sha256 == sha).Select(t => t.Text).SingleAsync());
    }

    static async Task<string?> SendAsync(HttpClient client, int id)
    {
        var response = await client.SubmitAsync($"/agreements/{id}/sign-off", [new("PublishAs", "partners")], "form[action*='handler=Send']");
        return response.StatusCode == HttpStatusCode.Redirect ? null : response.ParseBody().QuerySelector(".govuk-error-summary__list li")!.TextContent.Trim();
    }

    [Fact]
    public async Task A_draft_in_the_register_changes_through_its_answers_and_its_record_and_documents_follow()
    {
        using var editor = await EditorAsync();
        var draft = await Drafts.AnswerEverythingAsync(app, editor, "Revised referrals");
        var (created, _) = await Drafts.AnswerAsync(editor, $"{draft}/check");
        var id = int.Parse(created!.Split('/')[^1]);
        // Something the answers do not cover, added to the record since: updating from the answers keeps it.
        await app.InDatabaseAsync(async db =>
        {
            (await db.Agreements.SingleAsync(a => a.Id == id)).Themes.Add(Theme.FireSafety);
            return await db.SaveChangesAsync();
        });

        // From the agreement's page to its draft; the record's own edit page points there too.
        var page = await editor.GetPageAsync(created);
        Assert.Equal($"/agreements/{id}/draft", page.QuerySelectorAll("main a").Single(a => a.TextContent == "Change its answers or wording").GetAttribute("href"));
        var revise = await editor.GetAsync($"/agreements/{id}/draft");
        Assert.Equal($"{draft}/check", revise.Headers.Location!.OriginalString);
        Assert.Contains("change its answers", (await editor.GetPageAsync($"/agreements/{id}/edit")).QuerySelector(".govuk-inset-text")!.TextContent);

        // Updating with nothing changed makes no new versions of the documents.
        Assert.Equal(created, (await Drafts.AnswerAsync(editor, $"{draft}/check")).Location);
        Assert.All((await AgreementAsync(id)).Files, f => Assert.Single(f.Versions));

        // A changed answer: the record and both documents follow, as new versions of the same two files.
        var (back, _) = await Drafts.AnswerAsync(editor, $"{draft}/topics/4?return=check", ("q-lawful-basis", "public-task"),
            ("q-special-category-condition", "Article 9(2)(g), Schedule 1 paragraph 6"), ("q-legal-powers", "Fire and Rescue Services Act 2004 s6"));
        Assert.Equal($"{draft}/check", back);
        Assert.Equal(created, (await Drafts.AnswerAsync(editor, $"{draft}/check")).Location);
        var agreement = await AgreementAsync(id);
        Assert.Equal("Article 9(2)(g), Schedule 1 paragraph 6", agreement.SpecialCategoryCondition);
        Assert.Equal([Theme.FireSafety], agreement.Themes);
        Assert.Equal([2, 2], agreement.Files.Select(f => f.Versions.Count));
        Assert.Contains("Article 9(2)(g), Schedule 1 paragraph 6", await LatestHtmlTextAsync(id));

        // Another editor of the lead may change it; a party's editor may not (it is the lead's text), nor see that a draft exists.
        await app.AddPersonAsync("reviser2@lfb.example", "London Fire Brigade", OrganisationRole.Editor);
        using var colleague = await app.SignInAsync("reviser2@lfb.example");
        Assert.Equal(HttpStatusCode.OK, (await colleague.GetAsync($"{draft}/check")).StatusCode);
        await app.AddPersonAsync("reviser@camden.example", "London Borough of Camden", OrganisationRole.Editor);
        using var party = await app.SignInAsync("reviser@camden.example");
        Assert.Equal(HttpStatusCode.NotFound, (await party.GetAsync($"{draft}/check")).StatusCode);
        await app.AddPersonAsync("reviser@met.example", "Metropolitan Police Service", OrganisationRole.Editor);
        using var stranger = await app.SignInAsync("reviser@met.example");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/agreements/{id}/draft")).StatusCode);

        // Once sent for sign-off, the text being signed cannot change under the signatories.
        Assert.Null(await SendAsync(editor, id));
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"{draft}/check")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"{draft}/wording/security")).StatusCode);
    }

    [Fact]
    public async Task Changing_fixed_wording_departs_from_the_template_and_waits_for_two_approvers()
    {
        using var editor = await EditorAsync();
        var draft = await Drafts.AnswerEverythingAsync(app, editor, "Departing referrals");
        var check = await editor.GetPageAsync($"{draft}/check");
        Assert.Contains("(fixed by the framework)", check.QuerySelector($"a[href='{draft}/wording/security']")!.ParentElement!.TextContent);

        // Wording the drafter may change is theirs to change: no departure.
        var wordingPage = await editor.GetPageAsync($"{draft}/wording/data-quality");
        var templateWording = wordingPage.QuerySelector("textarea")!.TextContent;
        Assert.StartsWith("Each party checks data before it shares it.", templateWording);
        Assert.Null(wordingPage.QuerySelector(".govuk-warning-text"));
        Assert.Equal($"{draft}/check#section-data-quality",
            (await Drafts.AnswerAsync(editor, $"{draft}/wording/data-quality", ("Wording", "Each party checks data before sharing it, and again each quarter."))).Location);
        // Bad wording is refused and nothing is kept.
        Assert.Equal(["Enter the wording of the section, or use the template's wording"],
            (await Drafts.AnswerAsync(editor, $"{draft}/wording/rights", ("Wording", "  \n "))).Page.ErrorSummary());
        Assert.Equal(["The wording must be 20,000 characters or fewer"],
            (await Drafts.AnswerAsync(editor, $"{draft}/wording/rights", ("Wording", new string('x', 20_001)))).Page.ErrorSummary());
        // The template's own words, saved as they are, are not a change.
        var rights = (await editor.GetPageAsync($"{draft}/wording/rights")).QuerySelector("textarea")!.TextContent;
        await Drafts.AnswerAsync(editor, $"{draft}/wording/rights", ("Wording", rights.Replace("\n", "\r\n") + "  "));
        var security = (await editor.GetPageAsync($"{draft}/wording/security")).QuerySelector("textarea")!.TextContent;
        Assert.NotNull((await editor.GetPageAsync($"{draft}/wording/security")).QuerySelector(".govuk-warning-text"));
        await Drafts.AnswerAsync(editor, $"{draft}/wording/security", ("Wording", security + "\n\nThe brigade's laptops need not be encrypted."));
        var draftId = int.Parse(draft.Split('/')[^1]);
        Assert.Equal(["data-quality", "security"], (await app.InDatabaseAsync(db => db.AgreementDrafts.Where(d => d.Id == draftId).Select(d => d.Wording).SingleAsync())).Keys.Order());
        check = await editor.GetPageAsync($"{draft}/check");
        Assert.Contains("Departs from the template", check.QuerySelector("#section-security + p")!.TextContent);
        Assert.Contains("Your wording", check.QuerySelector("#section-data-quality + p")!.TextContent);

        var (created, _) = await Drafts.AnswerAsync(editor, $"{draft}/check");
        var id = int.Parse(created!.Split('/')[^1]);
        Assert.True((await AgreementAsync(id)).DepartsFromTemplate);
        // The framework's approvers are told, with a link to the difference.
        Assert.Contains(Directory.GetFiles(app.MailFolder, "*.eml").Select(File.ReadAllText), m => m.Contains(ConcordatFactory.AdminEmail)
            && m.Contains("A departure from a template waits for your approval") && m.Contains($"http://localhost/agreements/{id}/departures"));
        var text = await LatestHtmlTextAsync(id);
        Assert.Contains("The brigade's laptops need not be encrypted.", text);
        Assert.Contains("and again each quarter", text);
        Assert.Equal($"/agreements/{id}/departures", (await editor.GetPageAsync(created)).QuerySelectorAll("main a").Single(a => a.TextContent == "see the difference").GetAttribute("href"));

        // The difference, word by word, for anyone who may see the agreement; only the security section departs.
        var departures = await editor.GetPageAsync($"/agreements/{id}/departures");
        Assert.Equal(["10. Security and how data travels"], departures.QuerySelectorAll("main h2.govuk-heading-m").Select(h => h.TextContent).Where(h => h.StartsWith("10.")).ToList());
        Assert.Contains("laptops need not be encrypted", string.Concat(departures.QuerySelectorAll("main pre ins").Select(i => i.TextContent)));
        Assert.Null(departures.QuerySelector("main form")); // an editor is not an approver
        await app.AddPersonAsync("departures@met.example", "Metropolitan Police Service", OrganisationRole.Editor);
        using (var stranger = await app.SignInAsync("departures@met.example"))
            Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/agreements/{id}/departures")).StatusCode); // a draft is its parties' alone

        // It cannot be sent until two framework approvers approve, each with the advice they took.
        Assert.StartsWith("Its wording departs from the template in section 10 (Security and how data travels): 2 framework approvers must approve", await SendAsync(editor, id));
        using var admin = await app.SignedInClientAsync();
        Assert.Contains($"/agreements/{id}/departures", (await admin.GetPageAsync("/templates")).QuerySelector("main")!.InnerHtml);
        Assert.Equal(["Say what advice you took before approving, such as legal advice or the centre of expertise's review"],
            (await Drafts.AnswerAsync(admin, $"/agreements/{id}/departures", ("Advice", ""))).Page.ErrorSummary());
        Assert.Null((await Drafts.AnswerAsync(admin, $"/agreements/{id}/departures", ("Advice", "Legal services reviewed the change."))).Page.QuerySelector(".govuk-error-summary"));
        Assert.Null((await admin.GetPageAsync($"/agreements/{id}/departures")).QuerySelector("main form")); // approved once already

        // Changing the departing wording again needs approving again, and not by the person who changed it.
        await Drafts.AnswerAsync(admin, $"{draft}/wording/security", ("Wording", security + "\n\nThe brigade's laptops are encrypted by 2028."));
        await Drafts.AnswerAsync(admin, $"{draft}/check");
        var departure = await app.InDatabaseAsync(db => db.TemplateDepartures.AsNoTracking().SingleAsync(d => d.AgreementId == id));
        Assert.Empty(departure.Approvals);
        Assert.Null(departure.ApprovedAt);
        Assert.Null((await admin.GetPageAsync($"/agreements/{id}/departures")).QuerySelector("main form"));
        var token = (await admin.GetPageAsync("/account")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var own = await admin.PostAsync($"/agreements/{id}/departures", new FormUrlEncodedContent([new("Advice", "Mine."), new("__RequestVerificationToken", token)]));
        Assert.Equal(["You made this change of wording, so another approver must approve it"], own.ParseBody().ErrorSummary());
        await Drafts.AnswerAsync(editor, $"{draft}/wording/security", ("Wording", security + "\n\nThe brigade's laptops are encrypted by 2027."));
        await Drafts.AnswerAsync(editor, $"{draft}/check");

        using var second = await app.FrameworkApproverAsync("departures@framework.example", "DEPARTURESAPPROVERKEY234567ABCDE");
        Assert.Null((await Drafts.AnswerAsync(admin, $"/agreements/{id}/departures", ("Advice", "Legal services reviewed the second change."))).Page.QuerySelector(".govuk-error-summary"));
        Assert.Null((await Drafts.AnswerAsync(second, $"/agreements/{id}/departures", ("Advice", "The centre of expertise agreed."))).Page.QuerySelector(".govuk-error-summary"));
        Assert.Contains("Approved", (await editor.GetPageAsync($"/agreements/{id}/departures")).QuerySelector("main .govuk-tag")!.TextContent);
        Assert.Null(await SendAsync(editor, id));
        var subject = AgreementCommands.Subject((await AgreementAsync(id)).Reference);
        var events = await app.InDatabaseAsync(db => db.AuditEvents.Where(e => e.Subject == subject && e.Action.StartsWith("departure.")).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["departure.recorded", "departure.approved", "departure.recorded", "departure.recorded", "departure.approved", "departure.approved"], events);
    }
}
