using System.Net;
using Concordat.Accounts;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Templates;
using Concordat.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Templates;

/// <summary>A template's new version: edited with its clauses checked, sent for review, approved by two approvers with their advice, compared.</summary>
public sealed class TemplateLifecycleTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    const string SecondApprover = "approver@framework.example";
    const string SecondApproverKey = "SECONDAPPROVERKEY234567ABCDEFGHI";


    Task<HttpClient> SecondApproverAsync() => app.FrameworkApproverAsync(SecondApprover, SecondApproverKey);

    static List<KeyValuePair<string, string>> EditForm(AngleSharp.Html.Dom.IHtmlDocument page, int section, string clause, string changeNote)
    {
        var fields = page.QuerySelectorAll("form textarea").Cast<AngleSharp.Html.Dom.IHtmlTextAreaElement>()
            .Select(t => new KeyValuePair<string, string>(t.Name!, t.Value)).ToList();
        fields[fields.FindIndex(f => f.Key == $"Clauses[{section}]")] = new($"Clauses[{section}]", clause);
        fields[fields.FindIndex(f => f.Key == "ChangeNote")] = new("ChangeNote", changeNote);
        return fields;
    }

    [Fact]
    public async Task A_new_version_is_checked_when_saved_approved_by_two_approvers_and_supersedes_the_old_one()
    {
        var id = await app.InDatabaseAsync(db => db.Templates.Where(t => t.Type == TemplateType.DataDisclosure).Select(t => t.Id).SingleAsync());
        using var admin = await app.SignedInClientAsync();
        var edit = $"/templates/{id}/edit";
        var page = await admin.GetPageAsync(edit);
        var purpose = page.QuerySelector("textarea[name='Clauses[2]']")!.TextContent;

        // Broken Liquid and an unknown variable: refused with the section and line, and nothing saved.
        var broken = (await admin.SubmitAsync(edit, EditForm(page, 2, purpose + "\n\n{% if special_category %}Also {{ speshul }}", "Broken"))).ParseBody();
        Assert.Equal(["Section 3, Purpose and benefits, line 8: '{% endif %}' was expected (column 44)"], broken.ErrorSummary());
        Assert.Equal("#clause-2", broken.QuerySelector(".govuk-error-summary__list a")!.GetAttribute("href"));
        var unknown = (await admin.SubmitAsync(edit, EditForm(page, 2, purpose + "\n\nAlso {{ speshul }}.", "Unknown"))).ParseBody();
        Assert.Equal(["Section 3, Purpose and benefits, line 8: \"speshul\" is not one of the template's questions. Use a question's key, or add the question."],
            unknown.ErrorSummary());
        Assert.Equal(1, await app.InDatabaseAsync(db => db.TemplateVersions.CountAsync(v => v.TemplateId == id)));

        // A good edit makes version 2, a draft; the public still reads version 1.
        var saved = await admin.SubmitAsync(edit, EditForm(page, 2, purpose + "\n\nThe parties publish a summary of this agreement.", "Publish a summary"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal($"/templates/{id}?version=2", saved.Headers.Location!.OriginalString);
        using var anonymous = app.CreateClient();
        Assert.Contains("Version 1", (await anonymous.GetPageAsync($"/templates/{id}")).QuerySelector("main")!.TextContent);

        // Review: the first approval needs the advice taken, and an approver approves once.
        var url = $"/templates/{id}?version=2";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(url, [new("number", "2")], "form[action*='SendForReview']")).StatusCode);
        var noAdvice = (await admin.SubmitAsync(url, [new("number", "2"), new("Advice", " ")], "form[action*='Approve']")).ParseBody();
        Assert.Equal(["Say what advice you took before approving, such as legal advice or the centre of expertise's review"], noAdvice.ErrorSummary());
        Assert.Equal(HttpStatusCode.Redirect,
            (await admin.SubmitAsync(url, [new("number", "2"), new("Advice", "Legal services reviewed clause 3 on 20 November")], "form[action*='Approve']")).StatusCode);
        Assert.Equal(TemplateState.InReview, await app.InDatabaseAsync(db => db.TemplateVersions.Where(v => v.TemplateId == id && v.Number == 2).Select(v => v.State).SingleAsync()));
        Assert.Empty((await admin.GetPageAsync(url)).QuerySelectorAll("form[action*='Approve']")); // no second approval offered

        using var second = await SecondApproverAsync();
        var approved = await second.SubmitAsync(url, [new("number", "2"), new("Advice", "Centre of expertise: content meets the ICO code")], "form[action*='Approve']");
        Assert.Equal(HttpStatusCode.Redirect, approved.StatusCode);
        var states = await app.InDatabaseAsync(db => db.TemplateVersions.Where(v => v.TemplateId == id).OrderBy(v => v.Number).Select(v => v.State).ToListAsync());
        Assert.Equal([TemplateState.Superseded, TemplateState.PreApproved], states);
        Assert.Contains("Version 2", (await anonymous.GetPageAsync($"/templates/{id}")).QuerySelector("main")!.TextContent);

        // A step the version has moved past (a second tab, a double click) is refused, and changes nothing.
        var token = (await second.GetPageAsync($"/templates/{id}")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        async Task<string> RefusedAsync(string handler, int number) =>
            (await second.PostAsync($"/templates/{id}?handler={handler}", new FormUrlEncodedContent([new("number", number.ToString()), new("__RequestVerificationToken", token)])))
            .ParseBody().ErrorSummaryText();
        Assert.Contains("Version 2 is pre-approved now, so that cannot be done", await RefusedAsync("SendForReview", 2));
        Assert.Contains("Version 1 is superseded now, so that cannot be done", await RefusedAsync("Retire", 1));
        Assert.Equal(states, await app.InDatabaseAsync(db => db.TemplateVersions.Where(v => v.TemplateId == id).OrderBy(v => v.Number).Select(v => v.State).ToListAsync()));

        // The comparison marks what was added.
        var compare = await anonymous.GetPageAsync($"/templates/{id}/compare?from=1&to=2");
        Assert.Contains("Publish a summary", compare.QuerySelector("main")!.TextContent);
        Assert.Contains("publish a summary of this agreement", string.Concat(compare.QuerySelectorAll("ins").Select(i => i.TextContent)));
        Assert.Contains("1 of 16 sections changed", compare.QuerySelector("main")!.TextContent);
        var events = await app.InDatabaseAsync(db => db.AuditEvents.Where(e => e.Subject == $"template:{id}").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["template.draft-saved", "template.sent-for-review", "template.approved", "template.approved", "template.pre-approved"], events);
    }

    [Fact]
    public async Task Only_framework_administrators_edit_or_approve_templates()
    {
        var id = await app.InDatabaseAsync(db => db.Templates.Select(t => t.Id).FirstAsync());
        await app.AddPersonAsync("template-editor@lfb.example", "London Fire Brigade", OrganisationRole.Editor);
        using var editor = await app.SignInAsync("template-editor@lfb.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await editor.GetAsync($"/templates/{id}/edit")).StatusCode);
        var token = (await editor.GetPageAsync("/account")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var approve = await editor.PostAsync($"/templates/{id}?handler=Approve", new FormUrlEncodedContent([new("number", "1"), new("Advice", "x"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Forbidden, approve.StatusCode);
        Assert.Empty((await editor.GetPageAsync($"/templates/{id}")).QuerySelectorAll("main form"));
        using var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync($"/templates/{id}/edit")).StatusCode);
    }

    /// <summary>The questions page's fields as its form would post them: text inputs, text areas, chosen options and ticked boxes.</summary>
    static List<KeyValuePair<string, string>> QuestionFields(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("main form input[type=text], main form input[type=hidden], main form textarea, main form select, main form input[type=checkbox]:checked")
            .Select(e => new KeyValuePair<string, string>(e.GetAttribute("name")!, e switch
            {
                AngleSharp.Html.Dom.IHtmlSelectElement select => select.Value ?? "",
                AngleSharp.Html.Dom.IHtmlTextAreaElement area => area.Value,
                _ => e.GetAttribute("value") ?? "",
            }))
            .Where(f => f.Key != "__RequestVerificationToken").ToList();

    static List<KeyValuePair<string, string>> With(List<KeyValuePair<string, string>> fields, params (string Name, string Value)[] changes)
    {
        var changed = fields.ToList();
        foreach (var (name, value) in changes)
        {
            var at = changed.FindIndex(f => f.Key == name);
            if (at < 0) changed.Add(new(name, value));
            else changed[at] = new(name, value);
        }
        return changed;
    }

    static string Beyond(string row) => $"Questions[{int.Parse(row[(row.IndexOf('[') + 1)..row.IndexOf(']')]) + 1}]";

    [Fact]
    public async Task The_questions_of_a_new_version_are_edited_and_checked_against_its_clauses()
    {
        var id = await app.InDatabaseAsync(db => db.Templates.Where(t => t.Type == TemplateType.JointController).Select(t => t.Id).SingleAsync());
        using var admin = await app.SignedInClientAsync();
        var url = $"/templates/{id}/questions";
        var page = await admin.GetPageAsync(url);
        var fields = QuestionFields(page);
        string Row(string key) => fields.Single(f => f.Value == key && f.Key.EndsWith(".Key")).Key[..^".Key".Length];
        var added = fields.Last(f => f.Key.EndsWith(".Key")).Key[..^".Key".Length]; // the empty row for a new question

        // Removing a question a clause uses is refused with the clause; one the record is filled from cannot go at all.
        var inUse = (await admin.SubmitAsync(url, With(fields, ($"{Row("transfer_method")}.Options", "remove")), "main form")).ParseBody();
        Assert.Contains(inUse.ErrorSummary(), e => e.StartsWith("Section 10, Security and how data travels") && e.Contains("\"transfer_method\" is not one of the template's questions"));
        var record = (await admin.SubmitAsync(url, With(fields, ($"{Row("title")}.Options", "remove")), "main form")).ParseBody();
        Assert.Equal(["“title” cannot be removed: the register record is filled from it"], record.ErrorSummary());
        // A new question with a key that is not one, and a choice with no choices.
        var bad = (await admin.SubmitAsync(url, With(fields, ($"{added}.Key", "Funding Source"), ($"{added}.Label", "How is it funded?"), ($"{added}.Topic", "Funding"),
            ($"{added}.Type", "choice")), "main form")).ParseBody();
        Assert.Equal(["Enter a key of lower-case letters, digits and underscores, starting with a letter, such as funding_source",
            "Give the choices of the new question, or choose one of the register's lists"], bad.ErrorSummary());
        Assert.Equal(1, await app.InDatabaseAsync(db => db.TemplateVersions.CountAsync(v => v.TemplateId == id)));

        // A good edit: a question reworded and moved to its own page, and a new choice question, in version 2.
        var saved = await admin.SubmitAsync(url, With(fields, ($"{Row("benefits")}.Label", "Who gains from the sharing?"), ($"{Row("benefits")}.Topic", "Why share"),
            ($"{added}.Key", "funding_source"), ($"{added}.Label", "How is it funded?"), ($"{added}.Topic", "Funding"), ($"{added}.Type", "choice"),
            ($"{added}.Choices", "grant | A grant\nbudget | The parties' own budgets"),
            // A row the page did not offer is not read: one question is added at a time.
            ($"{Beyond(added)}.Key", "smuggled"), ($"{Beyond(added)}.Label", "Smuggled?"), ($"{Beyond(added)}.Topic", "Funding"), ($"{Beyond(added)}.Type", "text")), "main form");
        Assert.Equal($"/templates/{id}?version=2", saved.Headers.Location!.OriginalString);
        var questions = await app.InDatabaseAsync(db => db.TemplateVersions.AsNoTracking().Where(v => v.TemplateId == id && v.Number == 2).Select(v => v.Questions).SingleAsync());
        Assert.Equal(("Who gains from the sharing?", "Why share"), questions.Where(q => q.Key == "benefits").Select(q => (q.Label, q.Topic)).Single());
        var funding = questions[^1];
        Assert.Equal(("funding_source", QuestionType.Choice, true), (funding.Key, funding.Type, funding.Required));
        Assert.Equal(["grant", "budget"], funding.Choices.Select(c => c.Value));
        Assert.Equal(QuestionType.Text, questions.Single(q => q.Key == "title").Type); // the record's questions keep their kind
        Assert.DoesNotContain(questions, q => q.Key == "smuggled");
        // The clauses can now use it.
        var edit = await admin.GetPageAsync($"/templates/{id}/edit");
        var purpose = edit.QuerySelector("textarea[name='Clauses[2]']")!.TextContent;
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync($"/templates/{id}/edit", EditForm(edit, 2, purpose + "\n\nIt is funded by {{ funding_source | words }}.", "Funding"))).StatusCode);
    }
}
