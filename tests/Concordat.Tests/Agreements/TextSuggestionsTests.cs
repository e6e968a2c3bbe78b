using System.Net;
using System.Net.Http.Json;
using System.Text;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Agreements;

/// <summary>Reading an agreement's text for what its empty fields could say.</summary>
public sealed class TextSuggestionsTests
{
    const string Text = """
        Information Sharing Agreement between the London Borough of Camden, the LFB and the Met Police.
        This agreement commences on 1st April 2024 and will be reviewed by 31/03/2026. The lfb will receive referrals from Camden.
        The parties rely on Article 6(1)(e) UK GDPR and, for health data, Art. 9(2)(h) and Article 9 (2)(g).
        Sharing is under section 115 of the Crime and Disorder Act 1998 and section 10 of the Children Act 2004, and under the Fire and
        Rescue Services Act 2004 s6. Personal data is processed under the UK GDPR and the Data Protection Act 2018.
        """;

    static readonly List<Organisation> Registry = RegionSeed.Organisations().Select((o, i) => { o.Id = i + 1; return o; }).ToList();
    static int IdOf(string name) => Registry.Single(o => o.Name == name).Id;

    static IReadOnlyList<Suggestion> Suggest(Agreement agreement, string text = Text) => new TextSuggestions(Registry).For(agreement, [text]);

    /// <summary>The tests run as the app does, without culture data: a date read through a named culture would crash the agreement's page.</summary>
    [Theory]
    [InlineData("This agreement commences on 30th Sept 2025 and is reviewed on 1 SEPTEMBER 2027.", "2025-09-30", "2027-09-01")]
    [InlineData("It comes into effect from 01/04/2024; its review is due 31 Mar 2026.", "2024-04-01", "2026-03-31")]
    public void Dates_written_the_British_way_are_read_without_culture_data(string text, string start, string review)
    {
        Assert.Throws<System.Globalization.CultureNotFoundException>(() => System.Globalization.CultureInfo.GetCultureInfo("en-GB"));

        var found = Suggest(new Agreement { Title = "t" }, text);

        Assert.Equal(start, found.Single(s => s.Field == TextSuggestions.StartDate).Value);
        Assert.Equal(review, found.Single(s => s.Field == TextSuggestions.ReviewDate).Value);
    }

    [Fact]
    public void A_lawful_basis_is_suggested_for_the_party_whose_sentence_cites_it()
    {
        var found = Suggest(new Agreement { Title = "t" },
            "The London Fire Brigade relies on Article 6(1)(e) to receive the referrals. The London Borough of Camden discloses them under Article 6(1)(c).");

        var bases = found.Where(s => s.Field == TextSuggestions.LawfulBasis).ToList();
        Assert.Equal(["Article 6(1)(c) legal obligation, for London Borough of Camden", "Article 6(1)(e) public task, for London Fire Brigade"], bases.Select(b => b.Shown));
        Assert.Equal([IdOf("London Borough of Camden"), IdOf("London Fire Brigade")], bases.Select(b => b.OrganisationId));
    }

    [Fact]
    public void An_empty_record_gets_the_organisations_dates_articles_and_powers_its_text_names()
    {
        var found = Suggest(new Agreement { Title = "t" });

        // Named by full name, by short name (written as a name: "lfb" is not), most often first.
        Assert.Equal(["London Borough of Camden", "London Fire Brigade", "Metropolitan Police Service"], found.Where(s => s.Field == TextSuggestions.Parties).Select(s => s.Shown));
        Assert.Equal(IdOf("London Fire Brigade"), found.Single(s => s.Shown == "London Fire Brigade").OrganisationId);
        Assert.Contains("the LFB and the Met Police", found.Single(s => s.Shown == "London Fire Brigade").Evidence);
        Assert.Equal("2024-04-01", found.Single(s => s.Field == TextSuggestions.StartDate).Value);
        Assert.Equal("2026-03-31", found.Single(s => s.Field == TextSuggestions.ReviewDate).Value);
        Assert.Equal(["public-task"], found.Where(s => s.Field == TextSuggestions.LawfulBasis).Select(s => s.Value));
        Assert.Equal("Article 9(2)(g) substantial public interest; Article 9(2)(h) health or social care",
            found.Single(s => s.Field == TextSuggestions.SpecialCategoryCondition).Value);
        // Sections kept; the Data Protection Act governs sharing but gives no power to share, so it is left out.
        Assert.Equal(["Crime and Disorder Act 1998 s115", "Children Act 2004 s10", "Fire and Rescue Services Act 2004 s6"],
            found.Where(s => s.Field == TextSuggestions.LegalPowers).Select(s => s.Value));
    }

    [Fact]
    public void Fields_the_record_already_fills_get_no_suggestion()
    {
        var filled = new Agreement
        {
            Title = "t",
            Parties = [new AgreementParty { OrganisationId = 1, Role = PartyRole.JointController }],
            StartDate = new DateOnly(2020, 1, 1),
            ReviewDate = new DateOnly(2021, 1, 1),
            LawfulBases = [LawfulBasis.LegalObligation],
            SpecialCategoryCondition = "Schedule 1 paragraph 6",
            LegalPowers = ["Localism Act 2011"],
        };
        Assert.Empty(Suggest(filled));
    }

    [Theory]
    [InlineData("Nothing here but words.")]
    [InlineData("This agreement was reviewed on 1 April 2024 and commences on 1 May 2025.")] // a review before the start is not this agreement's review date
    [InlineData("Article 6(1)(z) and 31/02/2024 and 1 April 1812 are not real or not recent.")]
    public void Text_without_a_usable_value_suggests_nothing_of_it(string text)
    {
        var found = Suggest(new Agreement { Title = "t" }, text);
        Assert.DoesNotContain(found, s => s.Field is TextSuggestions.ReviewDate or TextSuggestions.LawfulBasis or TextSuggestions.Parties);
        if (text.StartsWith("Article")) Assert.Empty(found);
    }
}

/// <summary>The suggestions on an agreement's page: offered to its editors, filled only when chosen, never over what the record says.</summary>
public sealed class SuggestionPageTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    const string Editor = "suggestions@lfb.example";

    async Task<(HttpClient Editor, int Id)> AgreementWithTextAsync(string title)
    {
        await using (var scope = app.Services.CreateAsyncScope())
            if (!await scope.ServiceProvider.GetRequiredService<ConcordatDb>().Users.AnyAsync(u => u.Email == Editor))
                await app.AddPersonAsync(Editor, "London Fire Brigade", OrganisationRole.Editor);
        var api = await app.PersonApiAsync(Editor);
        var created = await app.CreateAgreementAsync(api, new { title, leadOrganisationId = await app.OrganisationIdAsync("London Fire Brigade"), startDate = "2023-06-01" });
        var id = created["id"]!.GetValue<int>();
        var text = $"{title}. This agreement between the LFB and the London Borough of Camden commences on 1 April 2024 and is reviewed by 1 April 2026, " +
                   "under section 115 of the Crime and Disorder Act 1998.";
        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(api, id, Encoding.UTF8.GetBytes(text), "agreement.txt")).StatusCode);
        return (await app.SignInAsync(Editor), id);
    }

    static string[] Offered(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelectorAll("form.concordat-suggestions .govuk-checkboxes__label").Select(l => l.TextContent.Trim()).ToArray();

    [Fact]
    public async Task An_editor_fills_the_chosen_empty_fields_and_the_rest_stay_as_they_were()
    {
        var (editor, id) = await AgreementWithTextAsync("Sorrel referrals");
        var page = await editor.GetPageAsync($"/agreements/{id}");
        // The start date is recorded already, so the text's start date is not offered.
        Assert.Equal(["Party: London Fire Brigade", "Party: London Borough of Camden", "Review date: 1 April 2026", "Legal power: Crime and Disorder Act 1998 s115"], Offered(page));

        var url = $"/agreements/{id}";
        var none = (await editor.SubmitAsync(url, [], "form.concordat-suggestions")).ParseBody();
        Assert.Equal(["Choose the suggestions to fill in"], none.ErrorSummary());
        var lfb = await app.OrganisationIdAsync("London Fire Brigade");
        var camden = await app.OrganisationIdAsync("London Borough of Camden");
        var noRole = (await editor.SubmitAsync(url, [new("Accept", $"parties:{lfb}"), new("Accept", $"parties:{camden}"), new($"Roles[{lfb}]", "joint-controller")],
            "form.concordat-suggestions")).ParseBody();
        Assert.Equal(["Select the role of London Borough of Camden"], noRole.ErrorSummary());
        Assert.Equal($"#role-{camden}", noRole.QuerySelector(".govuk-error-summary__list a")!.GetAttribute("href"));

        var filled = await editor.SubmitAsync(url, [new("Accept", $"parties:{lfb}"), new("Accept", $"parties:{camden}"), new($"Roles[{lfb}]", "joint-controller"),
            new($"Roles[{camden}]", "joint-controller"), new("Accept", "review-date:2026-04-01")], "form.concordat-suggestions");
        Assert.Equal(HttpStatusCode.Redirect, filled.StatusCode);
        await using var scope = app.Services.CreateAsyncScope();
        var agreement = await scope.ServiceProvider.GetRequiredService<ConcordatDb>().Agreements.AsNoTracking().Include(a => a.Parties).SingleAsync(a => a.Id == id);
        Assert.Equal([camden, lfb], agreement.Parties.Select(p => p.OrganisationId).Order());
        Assert.Equal(new DateOnly(2026, 4, 1), agreement.ReviewDate);
        Assert.Equal(new DateOnly(2023, 6, 1), agreement.StartDate); // what the record said stands
        Assert.Empty(agreement.LegalPowers); // not chosen
        var after = await editor.GetPageAsync(url);
        Assert.Contains("Filled in 2 fields from the agreement's text.", after.QuerySelector(".govuk-notification-banner")!.TextContent);
        Assert.Equal(["Legal power: Crime and Disorder Act 1998 s115"], Offered(after));
    }

    [Fact]
    public async Task Only_people_who_may_edit_are_offered_suggestions_or_may_fill_them()
    {
        var (editor, id) = await AgreementWithTextAsync("Sorrel private");
        await app.AddPersonAsync("suggestions-reader@camden.example", "London Fire Brigade");
        using var member = await app.SignInAsync("suggestions-reader@camden.example");
        // A member without the editor role does not see the draft at all, so cannot fill it either.
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/agreements/{id}")).StatusCode);
        var token = ((AngleSharp.Html.Dom.IHtmlInputElement)(await member.GetPageAsync("/account")).QuerySelector("input[name=__RequestVerificationToken]")!).Value;
        var refused = await member.PostAsync($"/agreements/{id}?handler=Suggestions",
            new FormUrlEncodedContent([new("Accept", "review-date:2026-04-01"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        // Published, the member reads it but is offered nothing, and a post is refused.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            await db.Agreements.Where(a => a.Id == id).ExecuteUpdateAsync(u => u.SetProperty(a => a.PublishedAt, DateTimeOffset.UtcNow).SetProperty(a => a.Visibility, Visibility.Public));
        }
        Assert.Empty(Offered(await member.GetPageAsync($"/agreements/{id}")));
        refused = await member.PostAsync($"/agreements/{id}?handler=Suggestions",
            new FormUrlEncodedContent([new("Accept", "review-date:2026-04-01"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.NotEmpty(Offered(await editor.GetPageAsync($"/agreements/{id}")));
    }

    [Fact]
    public async Task The_same_suggestions_are_in_the_api_for_the_leads_editors()
    {
        var (_, id) = await AgreementWithTextAsync("Chervil referrals");
        using var api = await app.PersonApiAsync(Editor);

        var suggestions = (await api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/agreements/{id}/suggestions"))!["items"]!.AsArray();

        // The start date is recorded already, so only the review date is offered, as on the page.
        Assert.Equal(["parties", "parties", "review-date", "legal-powers"], suggestions.Select(s => s!["field"]!.GetValue<string>()));
        Assert.Equal("2026-04-01", suggestions.Single(s => s!["field"]!.GetValue<string>() == "review-date")!["value"]!.GetValue<string>());
        Assert.Equal(await app.OrganisationIdAsync("London Fire Brigade"), suggestions[0]!["organisationId"]!.GetValue<int>());
        Assert.Contains("Crime and Disorder Act 1998", suggestions.Last()!["evidence"]!.GetValue<string>());
    }
}
