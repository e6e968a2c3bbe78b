using System.Globalization;
using System.Text.RegularExpressions;
using Concordat.Agreements;
using Concordat.BrowserTests.Support;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Concordat.BrowserTests.Support.Accessibility;
using static Microsoft.Playwright.Assertions;

namespace Concordat.BrowserTests;

/// <summary>A member of the public reads the register: the demo data's 65 agreements, drafts among them.</summary>
public sealed class RegisterBrowsingTests(DemoRegisterFixture app) : IClassFixture<DemoRegisterFixture>, IAsyncLifetime
{
    IBrowserContext _context = null!;
    IPage _page = null!;
    PageProblems _problems = null!;

    public async Task InitializeAsync()
    {
        _context = await app.NewContextAsync();
        _page = await _context.NewPageAsync();
        _problems = _page.Watch();
    }

    public async Task DisposeAsync() => await _context.DisposeAsync();

    // The pages write dates as the app does, without culture data: English month names are the invariant culture's.
    static readonly CultureInfo UK = CultureInfo.InvariantCulture;

    ILocator Rows => _page.Locator("table.govuk-table tbody tr");
    ILocator Header(string name) => _page.Locator("th", new() { Has = _page.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }) });

    async Task<List<DateOnly>> ReviewDatesAsync() =>
        (await Rows.Locator("td:nth-child(4)").AllInnerTextsAsync())
            .Select(t => DateOnly.ParseExact(Regex.Match(t, @"\d{1,2} [A-Z][a-z]+ \d{4}").Value, "d MMMM yyyy", UK)).ToList();

    [Fact]
    public async Task Anonymous_visitor_browses_the_register_sorts_it_by_review_date_and_pages_through_it()
    {
        await _page.GotoAsync("/");
        await AssertAccessibleAsync(_page);

        await _page.GetByRole(AriaRole.Button, new() { Name = "Browse the register" }).ClickAsync();
        await Expect(_page).ToHaveURLAsync(new Regex("/agreements$"));
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "The register", Level = 1 })).ToBeVisibleAsync();
        var summary = await _page.Locator("main p.govuk-body", new() { HasTextRegex = new Regex(@"^\d+ agreements") }).InnerTextAsync();
        var total = int.Parse(Regex.Match(summary, @"^(\d+) agreements").Groups[1].Value);
        Assert.True(total > 25, $"The demo register should fill more than one page: {summary}");
        Assert.Contains("showing 1 to 25", summary);
        await Expect(Rows).ToHaveCountAsync(25);
        await Expect(Header("Title")).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(Header("Review date")).ToHaveAttributeAsync("aria-sort", "none");
        await Expect(_page.GetByText("Not published")).ToHaveCountAsync(0);
        var byTitle = await Rows.Locator("td:first-child a").AllInnerTextsAsync();
        await AssertAccessibleAsync(_page);

        // Sort by review date, soonest first, with the column heading's link.
        await Header("Review date").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(_page).ToHaveURLAsync(new Regex(@"/agreements\?sort=review$"));
        await Expect(Header("Review date")).ToHaveAttributeAsync("aria-sort", "ascending");
        await Expect(Header("Title")).ToHaveAttributeAsync("aria-sort", "none");
        await Expect(_page.Locator("caption")).ToContainTextAsync("sorted by review date");
        var ascending = await ReviewDatesAsync();
        Assert.Equal(25, ascending.Count);
        Assert.Equal(ascending.Order().ToList(), ascending);
        Assert.NotEqual(byTitle, await Rows.Locator("td:first-child a").AllInnerTextsAsync());
        await AssertAccessibleAsync(_page);

        // The same heading again reverses the order.
        await Header("Review date").GetByRole(AriaRole.Link).ClickAsync();
        await Expect(_page).ToHaveURLAsync(new Regex(@"sort=-review$"));
        await Expect(Header("Review date")).ToHaveAttributeAsync("aria-sort", "descending");
        var descending = await ReviewDatesAsync();
        Assert.Equal(descending.OrderDescending().ToList(), descending);
        Assert.True(descending[0] >= ascending[^1]);

        // Pages: next, a numbered page, previous; the sort is kept.
        var pagination = _page.GetByRole(AriaRole.Navigation, new() { Name = "Pages of results" });
        await pagination.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Expect(_page).ToHaveURLAsync(new Regex(@"sort=-review&page=2$"));
        await Expect(_page.Locator("main")).ToContainTextAsync($"showing 26 to {Math.Min(50, total)}");
        await Expect(pagination.GetByRole(AriaRole.Link, new() { Name = "Page 2", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(_page).ToHaveTitleAsync(new Regex(@"^The register \(page 2 of \d+\)"));
        var page2 = await ReviewDatesAsync();
        Assert.True(page2[0] <= descending[^1], "Page 2 should carry on where page 1 ended");
        Assert.Equal(page2.OrderDescending().ToList(), page2);
        await AssertAccessibleAsync(_page);

        var lastPage = (total + 24) / 25;
        await pagination.GetByRole(AriaRole.Link, new() { Name = $"Page {lastPage}", Exact = true }).ClickAsync();
        await Expect(Rows).ToHaveCountAsync(total - (lastPage - 1) * 25);
        await Expect(pagination.GetByRole(AriaRole.Link, new() { Name = "Next page" })).ToHaveCountAsync(0);
        await pagination.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        await Expect(pagination.GetByRole(AriaRole.Link, new() { Name = $"Page {lastPage - 1}", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await AssertAccessibleAsync(_page);
        _problems.AssertNone();
    }

    [Fact]
    public async Task Anonymous_visitor_reads_an_agreement_and_downloads_its_document()
    {
        await _page.GotoAsync("/agreements");
        var first = Rows.First.Locator("td:first-child a");
        var title = (await first.InnerTextAsync()).Trim();
        await first.ClickAsync();

        await Expect(_page).ToHaveURLAsync(new Regex(@"/agreements/\d+$"));
        await Expect(_page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(_page.GetByText("Not published")).ToHaveCountAsync(0);
        await Expect(_page.GetByRole(AriaRole.Link, new() { Name = "Edit the record" })).ToHaveCountAsync(0);

        var parties = _page.GetByRole(AriaRole.Table, new() { Name = "Parties to the agreement and their roles" });
        Assert.True(await parties.Locator("tbody tr").CountAsync() >= 2, "An agreement has at least two parties");
        await Expect(parties.Locator("tbody")).ToContainTextAsync(new Regex("Discloser|Recipient|Joint controller|Processor"));
        var flows = _page.GetByRole(AriaRole.Table, new() { Name = "What data flows from which organisation to which, and how often" });
        Assert.True(await flows.Locator("tbody tr").CountAsync() >= 1, "The demo agreements record their data flows");
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Documents", Level = 2 })).ToBeVisibleAsync();
        await AssertAccessibleAsync(_page);

        var link = _page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Download ") }).First;
        var fileName = Regex.Match(await link.InnerTextAsync(), @"^Download (.+?)\s*\(version \d+\)").Groups[1].Value.Trim();
        var download = await _page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        Assert.Equal(fileName, download.SuggestedFilename);
        await using var stream = await download.CreateReadStreamAsync();
        var head = new byte[4];
        await stream.ReadExactlyAsync(head);
        // An uploaded agreement is a PDF or Word document; one drafted from a template is also stored as HTML.
        Assert.True(head.AsSpan().StartsWith("%PDF"u8) || head.AsSpan().StartsWith("PK"u8) || head.AsSpan().StartsWith("<!DO"u8),
            $"{fileName} should be a PDF, a Word document or the HTML of a drafted agreement; it starts with {Convert.ToHexString(head)}");
        _problems.AssertNone();
    }

    [Fact]
    public async Task Anonymous_visitor_reads_the_template_library_and_a_template_with_its_questions_and_sections()
    {
        await _page.GotoAsync("/");
        await _page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" }).GetByRole(AriaRole.Link, new() { Name = "Templates" }).ClickAsync();
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Template library");
        var library = _page.GetByRole(AriaRole.Table, new() { Name = "Templates" });
        await Expect(library.Locator("tbody tr")).ToHaveCountAsync(5);
        await AssertAccessibleAsync(_page);

        await library.GetByRole(AriaRole.Link, new() { Name = "Joint controller agreement" }).ClickAsync();
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Joint controller agreement");
        await Expect(_page.Locator("main")).ToContainTextAsync("Pre-approved");
        await Expect(_page.Locator("section.concordat-clause h3")).ToHaveCountAsync(16);
        await Expect(_page.GetByRole(AriaRole.Region, new() { Name = "2. The parties and their roles Wording fixed" })).ToContainTextAsync("Article 26");
        // Guidance opens from the keyboard (a details element needs no script).
        var guidance = _page.Locator("summary", new() { HasText = "Guidance for section 3" });
        await guidance.FocusAsync();
        await _page.Keyboard.PressAsync("Enter");
        await Expect(_page.GetByText("Purpose limitation (Article 5(1)(b))")).ToBeVisibleAsync();
        await AssertAccessibleAsync(_page);
        _problems.AssertNone();
    }

    [Fact]
    public async Task Anonymous_visitor_finds_the_London_Fire_Brigade_and_its_portfolio()
    {
        await _page.GotoAsync("/");
        await _page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" }).GetByRole(AriaRole.Link, new() { Name = "Organisations" }).ClickAsync();
        await Expect(_page.GetByRole(AriaRole.Heading, new() { Name = "Organisations", Level = 1 })).ToBeVisibleAsync();
        await AssertAccessibleAsync(_page);

        await _page.GetByRole(AriaRole.Link, new() { Name = "London Fire Brigade", Exact = true }).ClickAsync();
        await Expect(_page).ToHaveURLAsync(new Regex(@"/organisations/\d+$"));
        await Expect(_page.Locator("h1")).ToHaveTextAsync("London Fire Brigade");
        var heading = await _page.GetByRole(AriaRole.Heading, new() { NameRegex = new Regex(@"^Agreements \(\d+\)$") }).InnerTextAsync();
        var count = int.Parse(Regex.Match(heading, @"\d+").Value);
        Assert.True(count > 0, "The Brigade is party to demo agreements");
        var portfolio = _page.GetByRole(AriaRole.Table, new() { Name = "Agreements London Fire Brigade leads or is party to, by review date" });
        Assert.Equal(Math.Min(count, 25), await portfolio.Locator("tbody tr").CountAsync());
        await Expect(portfolio.Locator("tbody td:nth-child(2)").First).ToHaveTextAsync(new Regex("Lead|Discloser|Recipient|Joint controller|Processor"));
        await AssertAccessibleAsync(_page);

        // Its agreements open from the portfolio.
        var first = portfolio.Locator("tbody tr td:first-child a").First;
        var title = (await first.InnerTextAsync()).Trim();
        await first.ClickAsync();
        await Expect(_page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(_page.GetByRole(AriaRole.Table, new() { Name = "Parties to the agreement and their roles" })).ToContainTextAsync("London Fire Brigade");
        _problems.AssertNone();
    }

    [Fact]
    public async Task Drafts_and_partners_only_agreements_are_not_shown_to_anonymous_visitors()
    {
        int published, all;
        (int Id, string Title) draft;
        await using (var scope = app.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            all = await db.Agreements.CountAsync();
            // What the public sees: published and public (some demo agreements are for partners or the parties alone).
            published = await db.Agreements.CountAsync(a => a.PublishedAt != null && a.Visibility == Concordat.Agreements.Visibility.Public);
            var d = await db.Agreements.Where(a => a.PublishedAt == null).OrderBy(a => a.Id).Select(a => new { a.Id, a.Title }).FirstAsync();
            draft = (d.Id, d.Title);
        }
        Assert.True(all > published, "The demo data should include drafts");

        await _page.GotoAsync("/agreements");
        await Expect(_page.Locator("main")).ToContainTextAsync($"{published} agreements, showing 1 to 25");
        await Expect(_page.GetByText("Not published")).ToHaveCountAsync(0);
        await _page.GotoAsync("/");
        await Expect(_page.Locator("main")).ToContainTextAsync($"{published} agreements");
        await Expect(_page.Locator("main")).Not.ToContainTextAsync("drafts you can see");

        _problems.Allow($"/agreements/{draft.Id}: Failed to load resource: the server responded with a status of 404");
        var response = await _page.GotoAsync($"/agreements/{draft.Id}");
        Assert.Equal(404, response!.Status);
        await Expect(_page.Locator("main")).Not.ToContainTextAsync(draft.Title);
        await AssertAccessibleAsync(_page);

        // Signed in, the same register lists the drafts too.
        await _page.SignInAsync();
        await _page.GotoAsync("/agreements");
        await Expect(_page.Locator("main")).ToContainTextAsync($"{all} agreements, showing 1 to 25");
        await _page.GotoAsync($"/agreements/{draft.Id}");
        await Expect(_page.Locator("h1")).ToHaveTextAsync(draft.Title);
        await Expect(_page.GetByText("Not published", new() { Exact = true })).ToBeVisibleAsync();
        _problems.AssertNone();
    }
}
