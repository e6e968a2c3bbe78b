using System.Text.RegularExpressions;
using Concordat.BrowserTests.Support;
using Concordat.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Concordat.BrowserTests.Support.Accessibility;
using static Microsoft.Playwright.Assertions;

namespace Concordat.BrowserTests;

/// <summary>A visitor searches the demo register from any page, narrows by status, re-sorts and pages; keyboard and axe-clean.</summary>
public sealed class SearchBrowsingTests(DemoRegisterFixture app) : IClassFixture<DemoRegisterFixture>
{
    /// <summary>The demo register is indexed in the background after start; wait for it rather than test a half-built index.</summary>
    async Task IndexCaughtUpAsync()
    {
        var index = app.Server.Services.GetRequiredService<Concordat.Search.SearchIndex>();
        long last;
        await using (var scope = app.Server.Services.CreateAsyncScope())
            last = await scope.ServiceProvider.GetRequiredService<Concordat.Data.ConcordatDb>().SearchOutbox.MaxAsync(e => (long?)e.Id) ?? 0;
        for (var i = 0; i < 600 && index.AppliedSequence < last; i++) await Task.Delay(50);
        Assert.True(index.AppliedSequence >= last, "the search index did not catch up with the demo register");
    }

    [Fact]
    public async Task A_visitor_searches_from_any_page_narrows_by_status_and_pages_through_the_results()
    {
        await IndexCaughtUpAsync();
        await using var context = await app.NewContextAsync();
        var page = await context.NewPageAsync();
        var problems = page.Watch();

        await page.GotoAsync("/organisations");
        await page.TypeIntoAsync(page.Locator("#site-search"), "data");
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex(@"/search\?q=data$"));
        var heading = page.Locator("#results-heading");
        await Expect(heading).ToContainTextAsync("match data");
        var total = int.Parse(Regex.Match(await heading.InnerTextAsync(), @"^\d+").Value);
        Assert.True(total > 20, $"the demo register should have more than a page of agreements about data: {total}");
        await Expect(page.Locator(".concordat-snippet mark").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);

        // Narrow to one status: the count beside it is what the results become.
        var status = page.Locator("input[name=status]").First;
        var label = await page.Locator($"label[for='{await status.GetAttributeAsync("id")}']").InnerTextAsync();
        var expected = int.Parse(Regex.Match(label, @"\((\d+)\)").Groups[1].Value);
        await page.TickByKeyboardAsync(status);
        await page.NavigatesAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).Last.ClickAsync());
        await Expect(heading).ToContainTextAsync($"{expected} agreement");
        await Expect(page).ToHaveURLAsync(new Regex(@"status="));
        await AssertAccessibleAsync(page);

        // Every result, by title, page by page.
        await page.GotoAsync("/search?q=data&sort=title");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Pages of results" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"page=2"));
        await Expect(page).ToHaveTitleAsync(new Regex(@"\(page 2 of \d+\)"));
        await AssertAccessibleAsync(page);

        // A result opens at its agreement with every match in the text marked, and links from one to the next.
        await page.GotoAsync("/search?q=data");
        await page.Locator(".concordat-results h3 a").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/agreements/\d+\?q=data$"));
        await Expect(page.Locator(".concordat-text-view mark").First).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "2 (go to match 2)" }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"#file-\d+-match-2$"));

        await page.GotoAsync("/search?q=zzzqqq");
        await Expect(heading).ToContainTextAsync("0 agreements");
        await AssertAccessibleAsync(page);
        problems.AssertNone();
    }
}
