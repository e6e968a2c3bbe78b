using System.Net;
using AngleSharp.Html.Dom;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Templates;
using Concordat.Templates.Drafting;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Templates;

/// <summary>Drafting from a pre-approved template: question pages checked by type, check your answers, and the record filled from the answers.</summary>
public sealed class DraftingTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    const string Editor = "drafter@lfb.example";

    Task<HttpClient> EditorAsync() => Drafts.BrigadeEditorAsync(app, Editor);

    [Fact]
    public async Task An_editor_drafts_an_agreement_between_a_borough_the_brigade_and_a_trust_and_the_record_is_filled_from_the_answers()
    {
        using var editor = await EditorAsync();
        var templateId = await app.InDatabaseAsync(db => db.Templates.Where(t => t.Type == TemplateType.InformationSharing).Select(t => t.Id).SingleAsync());
        var (lfb, camden, trust) = (await app.OrganisationIdAsync("London Fire Brigade"), await app.OrganisationIdAsync("London Borough of Camden"),
            await app.InDatabaseAsync(db => db.Organisations.Where(o => o.Type == OrganisationType.NhsTrust).Select(o => o.Id).FirstAsync()));

        var template = await editor.GetPageAsync($"/templates/{templateId}");
        Assert.NotNull(template.QuerySelector($"a[href='/drafts/new?template={templateId}']"));
        // Before starting: the register can be searched for agreements with the same purpose.
        var purpose = (await editor.GetPageAsync($"/drafts/new?template={templateId}")).QuerySelector("form[role=search]")!;
        Assert.Equal(("/search", "q"), (purpose.GetAttribute("action"), purpose.QuerySelector("input")!.GetAttribute("name")));
        var (first, _) = await Drafts.AnswerAsync(editor, $"/drafts/new?template={templateId}", ("LeadOrganisationId", lfb.ToString()));
        Assert.Matches(@"^/drafts/\d+/topics/1$", first);
        var draft = first![..first!.LastIndexOf("/topics", StringComparison.Ordinal)];

        // Page 1: nothing answered is refused, question by question.
        var (_, empty) = await Drafts.AnswerAsync(editor, first);
        Assert.Equal(["Enter an answer to “What is the agreement called?”", "Enter an answer to “What is the sharing for?”", "Enter an answer to “Who benefits, and how?”"],
            empty.ErrorSummary());
        Assert.Equal("#q-title", empty.QuerySelector(".govuk-error-summary__list a")!.GetAttribute("href"));
        var (second, _) = await Drafts.AnswerAsync(editor, first, ("q-title", "Hospital discharge fire safety"), ("q-purpose", "To offer home fire safety visits to people leaving hospital."),
            ("q-benefits", "Fewer fires in the homes of people recovering from illness."));
        Assert.Equal($"{draft}/topics/2", second);

        // Page 2: a party without a role is refused; three parties with roles and two-way sharing are kept.
        var (_, noRole) = await Drafts.AnswerAsync(editor, second!, ("q-parties.0.organisation", lfb.ToString()), ("q-parties.0.role", "joint-controller"),
            ("q-parties.1.organisation", camden.ToString()), ("q-reciprocal", "yes"));
        Assert.Equal(["Select the role of party 2"], noRole.ErrorSummary());
        var (third, _) = await Drafts.AnswerAsync(editor, second!, ("q-parties.0.organisation", lfb.ToString()), ("q-parties.0.role", "joint-controller"),
            ("q-parties.1.organisation", camden.ToString()), ("q-parties.1.role", "joint-controller"),
            ("q-parties.2.organisation", trust.ToString()), ("q-parties.2.role", "discloser"), ("q-reciprocal", "yes"));

        // Page 3, the data: a value that is not one of the choices is refused.
        var (_, badChoice) = await Drafts.AnswerAsync(editor, third!, ("q-data-subjects", "martians"), ("q-data-items", "Name\nAddress"), ("q-frequency", "weekly"),
            ("q-special-category", "yes"), ("q-criminal-offence", "no"));
        Assert.Equal(["Select from the choices given for “Whose data is shared?”"], badChoice.ErrorSummary());
        var (fourth, _) = await Drafts.AnswerAsync(editor, third!, ("q-data-subjects", "patients"), ("q-data-subjects", "residents"),
            ("q-data-items", "Name\nAddress\nDate of discharge"), ("q-frequency", "weekly"), ("q-special-category", "yes"), ("q-criminal-offence", "no"));
        var (fifth, _) = await Drafts.AnswerAsync(editor, fourth!, ("q-lawful-basis", "public-task"), ("q-special-category-condition", "Article 9(2)(h), Schedule 1 paragraph 2"),
            ("q-legal-powers", "Fire and Rescue Services Act 2004 s6\nCare Act 2014 s6"));
        var (sixth, _) = await Drafts.AnswerAsync(editor, fifth!, ("q-dpia", "done"), ("q-dpia-summary", "Low risk with the controls in section 10."),
            ("q-privacy-notice", "https://www.london-fire.gov.uk/privacy"));
        var (seventh, _) = await Drafts.AnswerAsync(editor, sixth!, ("q-transfer-method", "secure-email"), ("q-retention", "Two years after the visit, then deleted."));
        // Dates: not a real date is refused; a review before the start is refused on the check page.
        var (_, badDate) = await Drafts.AnswerAsync(editor, seventh!, ("q-start-date.Day", "31"), ("q-start-date.Month", "2"), ("q-start-date.Year", "2026"),
            ("q-review-date.Day", "1"), ("q-review-date.Month", "4"), ("q-review-date.Year", "2025"), ("q-contact-email", "ig@lfb.example.gov.uk"));
        Assert.Equal(["Enter a real date for “When does it start?”, such as 1 4 2026"], badDate.ErrorSummary());
        var (check, _) = await Drafts.AnswerAsync(editor, seventh!, ("q-start-date.Day", "1"), ("q-start-date.Month", "4"), ("q-start-date.Year", "2026"),
            ("q-review-date.Day", "1"), ("q-review-date.Month", "4"), ("q-review-date.Year", "2025"), ("q-contact-email", "ig@lfb.example.gov.uk"));
        Assert.Equal($"{draft}/check", check);

        var checkPage = await editor.GetPageAsync(check!);
        Assert.Contains("Hospital discharge fire safety", checkPage.QuerySelector(".concordat-preview")!.TextContent);
        Assert.Contains("Data flows both ways between the parties.", checkPage.QuerySelector(".concordat-preview")!.TextContent);
        var (_, outOfOrder) = await Drafts.AnswerAsync(editor, check!);
        Assert.Equal(["The review date must be after the start date"], outOfOrder.ErrorSummary());
        Assert.Equal($"{draft}/topics/7?return=check#q-review-date", outOfOrder.QuerySelector(".govuk-error-summary__list a")!.GetAttribute("href"));
        var (back, _) = await Drafts.AnswerAsync(editor, $"{draft}/topics/7?return=check", ("q-start-date.Day", "1"), ("q-start-date.Month", "4"), ("q-start-date.Year", "2026"),
            ("q-review-date.Day", "1"), ("q-review-date.Month", "4"), ("q-review-date.Year", "2028"), ("q-contact-email", "ig@lfb.example.gov.uk"));
        Assert.Equal(check, back);

        var (created, _) = await Drafts.AnswerAsync(editor, check!);
        Assert.Matches(@"^/agreements/\d+$", created);
        var id = int.Parse(created!.Split('/')[^1]);
        var agreement = await app.InDatabaseAsync(db => db.Agreements.AsNoTracking().AsSplitQuery().Include(a => a.Parties).Include(a => a.DataFlows)
            .Include(a => a.Files).ThenInclude(f => f.Versions).SingleAsync(a => a.Id == id));
        Assert.Equal("Hospital discharge fire safety", agreement.Title);
        Assert.Equal(AgreementType.InformationSharing, agreement.AgreementType);
        Assert.Equal("Information sharing agreement, version 1", agreement.TemplateReference);
        Assert.Equal([camden, lfb, trust], agreement.Parties.Select(p => p.OrganisationId).Order());
        Assert.Equal(4, agreement.DataFlows.Count); // from the first party to each other, and back: two-way
        Assert.All(agreement.DataFlows, f => Assert.Equal("Name, Address, Date of discharge", f.DataItems));
        Assert.Equal([Sensitivity.Personal, Sensitivity.SpecialCategory], agreement.Sensitivities);
        Assert.Equal(["Fire and Rescue Services Act 2004 s6", "Care Act 2014 s6"], agreement.LegalPowers);
        Assert.Equal((new DateOnly(2026, 4, 1), new DateOnly(2028, 4, 1)), (agreement.StartDate, agreement.ReviewDate));
        Assert.Equal(Visibility.PartiesOnly, agreement.Visibility);
        // The agreement as HTML and as Word, from the same source; the Word document reads back as valid OOXML with real structure.
        Assert.Equal(["hospital-discharge-fire-safety.docx", "hospital-discharge-fire-safety.html"],
            agreement.Files.Select(f => f.Versions.Single().FileName).Order());
        Assert.All(agreement.Files, f => Assert.Equal(FileKind.Agreement, f.Kind));
        var html = agreement.Files.Single(f => f.Versions[0].MediaType == "text/html").Versions[0];
        Assert.Contains("Fire and Rescue Services Act 2004 s6", await app.InDatabaseAsync(db => db.FileTexts.Where(t => t.Sha256 == html.Sha256).Select(t => t.Text).SingleAsync()));
        var docx = agreement.Files.Single(f => f.Versions[0].FileName.EndsWith(".docx")).Versions[0];
        using (var word = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(await editor.GetByteArrayAsync($"/files/{docx.Id}")), false))
        {
            var invalid = new DocumentFormat.OpenXml.Validation.OpenXmlValidator().Validate(word).Select(e => $"{e.Description} at {e.Path?.XPath}").ToList();
            Assert.True(invalid.Count == 0, string.Join("\n", invalid.Distinct()));
            Assert.Equal("Hospital discharge fire safety", word.PackageProperties.Title);
            var body = word.MainDocumentPart!.Document.Body!;
            string StyleOf(DocumentFormat.OpenXml.Wordprocessing.Paragraph p) => p.ParagraphProperties?.ParagraphStyleId?.Val?.Value ?? "";
            var headings = body.Elements<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Where(p => StyleOf(p) == "Heading1").Select(p => p.InnerText).ToList();
            Assert.Equal(16, headings.Count);
            Assert.Equal(["1. Document control", "2. The parties and their roles"], headings.Take(2));
            var tables = body.Elements<DocumentFormat.OpenXml.Wordprocessing.Table>().ToList();
            var parties = tables.Single(t => t.InnerText.StartsWith("OrganisationRole"));
            Assert.Equal(4, parties.Elements<DocumentFormat.OpenXml.Wordprocessing.TableRow>().Count()); // a header and three parties
            Assert.NotNull(parties.Elements<DocumentFormat.OpenXml.Wordprocessing.TableRow>().First().TableRowProperties?.GetFirstChild<DocumentFormat.OpenXml.Wordprocessing.TableHeader>());
            Assert.Contains(tables, t => t.InnerText.StartsWith("Data itemNameAddressDate of discharge"));
            Assert.Contains(tables, t => t.InnerText.StartsWith("PartySigned for it byPositionDate"));
        }

        // On its page: built on the template, and the wording rules are met because the template states them.
        var page = await editor.GetPageAsync(created);
        var retention = page.QuerySelectorAll("#compliance + p + table tbody tr").Single(r => r.TextContent.Contains("Retention stated"));
        Assert.Contains("Met", retention.TextContent);
        // Search finds it among agreements built on templates, and not among the legacy ones.
        Assert.Contains("Hospital discharge fire safety", (await editor.GetPageAsync("/search?origin=template")).QuerySelector("main")!.TextContent);
        Assert.DoesNotContain("Hospital discharge fire safety", (await editor.GetPageAsync("/search?origin=legacy")).QuerySelector("main")!.TextContent);
        // The brigade's page counts it among its agreements on pre-approved templates.
        Assert.StartsWith("1 of 1 built on a pre-approved template (100%)", (await editor.GetPageAsync($"/organisations/{lfb}")).QuerySelector("#on-templates")!.TextContent);
        // In the register, the draft now updates the agreement (see DraftRevisionTests), and is listed as in the register.
        Assert.Equal("Update the draft agreement", (await editor.GetPageAsync(check!)).QuerySelector("main form button")!.TextContent.Trim());
        Assert.Contains("in the register", (await editor.GetPageAsync("/drafts")).QuerySelector("main")!.TextContent);
    }

    [Fact]
    public async Task A_draft_is_its_drafters_alone_and_only_editors_start_one()
    {
        using var editor = await EditorAsync();
        var templateId = await app.InDatabaseAsync(db => db.Templates.Where(t => t.Type == TemplateType.DataProcessing).Select(t => t.Id).SingleAsync());
        var (first, _) = await Drafts.AnswerAsync(editor, $"/drafts/new?template={templateId}", ("LeadOrganisationId", (await app.OrganisationIdAsync("London Fire Brigade")).ToString()));
        var (_, notOurs) = await Drafts.AnswerAsync(editor, $"/drafts/new?template={templateId}", ("LeadOrganisationId", (await app.OrganisationIdAsync("London Borough of Camden")).ToString()));
        Assert.Equal(["Select the organisation that leads the agreement"], notOurs.ErrorSummary());

        await app.AddPersonAsync("other-drafter@lfb.example", "London Fire Brigade", OrganisationRole.Editor);
        using var other = await app.SignInAsync("other-drafter@lfb.example");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(first)).StatusCode);
        await app.AddPersonAsync("reader-drafter@camden.example", "London Borough of Camden");
        using var reader = await app.SignInAsync("reader-drafter@camden.example");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync($"/drafts/new?template={templateId}")).StatusCode);
    }

    [Fact]
    public async Task A_question_page_previews_the_sections_its_answers_appear_in_before_anything_is_saved()
    {
        using var editor = await EditorAsync();
        var draft = await Drafts.AnswerEverythingAsync(app, editor, "Previewed referrals");
        var page = await editor.GetPageAsync($"{draft}/topics/1");
        // Without JavaScript: the sections page 1's questions appear in, as the saved answers make them, and no others.
        var preview = page.QuerySelector("#draft-preview")!;
        Assert.Contains("To offer home fire safety visits to people leaving hospital.", preview.TextContent);
        Assert.DoesNotContain("Security and how data travels", preview.TextContent);

        // As the person types: the form as it stands, rendered and not saved.
        async Task<string> PreviewAsync(params (string Name, string Value)[] fields)
        {
            var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
            var response = await editor.PostAsync($"{draft}/topics/1?handler=Preview",
                new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)).Append(new("__RequestVerificationToken", token))));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }
        var typed = await PreviewAsync(("q-title", "Previewed referrals"), ("q-purpose", "To visit <people> *before* winter."), ("q-benefits", "Warmer, safer homes."));
        Assert.Contains("To visit &lt;people&gt; *before* winter.", typed); // an answer is text, never markup
        // An answer that would be refused (a required one cleared) shows as saved until it is put right; the draft itself is unchanged.
        Assert.Contains("Fewer fires in the homes of people recovering from illness.", await PreviewAsync(("q-title", "Previewed referrals"), ("q-purpose", "To visit people before winter.")));
        var draftId = int.Parse(draft.Split('/')[^1]);
        var saved = await app.InDatabaseAsync(db => db.AgreementDrafts.Where(d => d.Id == draftId).Select(d => d.Answers).SingleAsync());
        Assert.Equal("To offer home fire safety visits to people leaving hospital.", saved["purpose"]);
    }
}
