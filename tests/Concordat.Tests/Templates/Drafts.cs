using System.Net;
using AngleSharp.Html.Dom;
using Concordat.Organisations;
using Concordat.Templates;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Tests.Templates;

/// <summary>Drafting steps the template tests share: posting a page as its form does, and a whole draft answered well.</summary>
static class Drafts
{
    /// <summary>A person signed in as an editor of London Fire Brigade, made the first time it is asked for.</summary>
    public static async Task<HttpClient> BrigadeEditorAsync(ConcordatFactory app, string email)
    {
        if (!await app.InDatabaseAsync(db => db.Users.AnyAsync(u => u.Email == email))) await app.AddPersonAsync(email, "London Fire Brigade", OrganisationRole.Editor);
        return await app.SignInAsync(email);
    }

    /// <summary>Posts a drafting page with these fields; returns where it went, or the page with its errors.</summary>
    public static async Task<(string? Location, IHtmlDocument Page)> AnswerAsync(HttpClient client, string url, params (string Name, string Value)[] fields)
    {
        var response = await client.SubmitAsync(url, fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), "main form[method=post]");
        return (response.StatusCode == HttpStatusCode.Redirect ? response.Headers.Location!.OriginalString : null, response.ParseBody());
    }

    /// <summary>
    /// An information sharing agreement led by the fire brigade with Camden, every page answered so that every compliance
    /// rule is met. Returns the draft's address ("/drafts/N"), at its check page.
    /// </summary>
    public static async Task<string> AnswerEverythingAsync(ConcordatFactory app, HttpClient editor, string title)
    {
        var templateId = await app.InDatabaseAsync(db => db.Templates.Where(t => t.Type == TemplateType.InformationSharing).Select(t => t.Id).SingleAsync());
        var (lfb, camden) = (await app.OrganisationIdAsync("London Fire Brigade"), await app.OrganisationIdAsync("London Borough of Camden"));
        var (page, _) = await AnswerAsync(editor, $"/drafts/new?template={templateId}", ("LeadOrganisationId", lfb.ToString()));
        var draft = page![..page!.LastIndexOf("/topics", StringComparison.Ordinal)];
        (string, string)[][] pages =
        [
            [("q-title", title), ("q-purpose", "To offer home fire safety visits to people leaving hospital."), ("q-benefits", "Fewer fires in the homes of people recovering from illness.")],
            [("q-parties.0.organisation", lfb.ToString()), ("q-parties.0.role", "joint-controller"), ("q-parties.1.organisation", camden.ToString()),
                ("q-parties.1.role", "joint-controller"), ("q-reciprocal", "no")],
            [("q-data-subjects", "residents"), ("q-data-items", "Name\nAddress"), ("q-frequency", "weekly"), ("q-special-category", "yes"), ("q-criminal-offence", "no")],
            [("q-lawful-basis", "public-task"), ("q-special-category-condition", "Article 9(2)(h), Schedule 1 paragraph 2"), ("q-legal-powers", "Fire and Rescue Services Act 2004 s6")],
            [("q-dpia", "done"), ("q-privacy-notice", "https://www.london-fire.gov.uk/privacy")],
            [("q-transfer-method", "secure-email"), ("q-retention", "Two years after the visit, then deleted.")],
            [("q-start-date.Day", "1"), ("q-start-date.Month", "4"), ("q-start-date.Year", "2026"), ("q-review-date.Day", "1"), ("q-review-date.Month", "4"),
                ("q-review-date.Year", "2028"), ("q-contact-email", "ig@lfb.example.gov.uk")],
        ];
        foreach (var fields in pages)
        {
            var (next, errors) = await AnswerAsync(editor, page!, fields);
            Assert.True(next is not null, string.Join("; ", errors.ErrorSummary()));
            page = next;
        }
        Assert.Equal($"{draft}/check", page);
        return draft;
    }
}
