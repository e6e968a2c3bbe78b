using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Sdk;
using static Microsoft.Playwright.Assertions;

namespace Concordat.BrowserTests.Support;

/// <summary>What a person does in the browser, written once for every journey.</summary>
public static class Browsing
{
    /// <summary>
    /// Presses Tab until <paramref name="target"/> has focus, as a keyboard user would, and fails
    /// if it is not reached: proof that the control is in the tab order after the current focus.
    /// </summary>
    public static async Task TabToAsync(this IPage page, ILocator target, int maxPresses = 300, bool backwards = false)
    {
        await target.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });
        for (var i = 0; i < maxPresses; i++)
        {
            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
            if (await target.EvaluateAsync<bool>("el => el === document.activeElement")) return;
        }
        var focused = await page.EvaluateAsync<string>("() => document.activeElement?.outerHTML?.slice(0, 200) ?? 'nothing'");
        throw new XunitException($"{maxPresses} presses of Tab did not reach {target}; focus is on {focused} ({page.Url}).");
    }

    /// <summary>Tabs (or shift-tabs) to a link or button and presses Enter, waiting for the page it leads to.</summary>
    public static async Task ActivateByKeyboardAsync(this IPage page, ILocator target, bool backwards = false)
    {
        await page.TabToAsync(target, backwards: backwards);
        await page.NavigatesAsync(() => page.Keyboard.PressAsync("Enter"));
    }

    /// <summary>
    /// Does something that loads a new page (a link, a form's submission) and waits for that page,
    /// following redirects. Playwright marks this wait obsolete in favour of waiting for a known
    /// address, but a form posted back to its own address (with errors) has no new address to wait for.
    /// </summary>
    public static async Task NavigatesAsync(this IPage page, Func<Task> action)
    {
#pragma warning disable CS0612
        await page.RunAndWaitForNavigationAsync(action);
#pragma warning restore CS0612
    }

    /// <summary>Tabs to a field and types into it.</summary>
    public static async Task TypeIntoAsync(this IPage page, ILocator field, string text)
    {
        await page.TabToAsync(field);
        await page.Keyboard.TypeAsync(text);
    }

    /// <summary>Tabs to a closed drop-down and chooses an option by typing its text (the browser's type-ahead).</summary>
    public static async Task ChooseByTypingAsync(this IPage page, ILocator select, string optionText)
    {
        await page.TabToAsync(select);
        await page.Keyboard.TypeAsync(optionText);
        var chosen = await select.EvaluateAsync<string>("el => el.options[el.selectedIndex]?.text ?? ''");
        Assert.Equal(optionText, chosen);
    }

    /// <summary>Tabs to a radio or checkbox and ticks it with the space bar.</summary>
    public static async Task TickByKeyboardAsync(this IPage page, ILocator choice)
    {
        await page.TabToAsync(choice);
        await page.Keyboard.PressAsync(" ");
        await Expect(choice).ToBeCheckedAsync();
    }

    /// <summary>Types a GOV.UK date input's day, month and year, moving between the boxes with Tab.</summary>
    public static async Task TypeDateAsync(this IPage page, string id, DateOnly date)
    {
        await page.TypeIntoAsync(page.Locator($"#{id}"), date.Day.ToString());
        await page.TypeIntoAsync(page.Locator($"#{id}-month"), date.Month.ToString());
        await page.TypeIntoAsync(page.Locator($"#{id}-year"), date.Year.ToString());
    }

    /// <summary>Signs in as the administrator: email and password, then the authenticator code, each page submitted with Enter.</summary>
    public static async Task SignInAsync(this IPage page)
    {
        await page.GotoAsync("/sign-in");
        await page.Locator("#email").FillAsync(ConcordatServer.AdminEmail);
        await page.Locator("#password").FillAsync(ConcordatServer.AdminPassword);
        await page.NavigatesAsync(() => page.Locator("#password").PressAsync("Enter"));
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in/two-step"));
        await page.Locator("#code").FillAsync(ConcordatServer.AdminCode());
        await page.NavigatesAsync(() => page.Locator("#code").PressAsync("Enter"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
    }

    /// <summary>The GOV.UK error summary and the text of its links.</summary>
    public static ILocator ErrorSummary(this IPage page) => page.Locator(".govuk-error-summary");

    public static async Task<IReadOnlyList<string>> ErrorSummaryMessagesAsync(this IPage page) =>
        (await page.ErrorSummary().Locator(".govuk-error-summary__list a").AllInnerTextsAsync()).Select(t => t.Trim()).ToList();

    /// <summary>The id in an agreement page's address (/agreements/42 → 42).</summary>
    public static int AgreementId(this IPage page) =>
        int.Parse(Regex.Match(new Uri(page.Url).AbsolutePath, @"^/agreements/(\d+)").Groups[1].Value);

    /// <summary>The success banner's text.</summary>
    public static ILocator SuccessBanner(this IPage page) => page.Locator(".govuk-notification-banner--success");

    /// <summary>Collects JavaScript dialogs, page errors and console errors, so a test can assert there were none.</summary>
    public static PageProblems Watch(this IPage page) => new(page);
}

public sealed class PageProblems
{
    readonly List<string> _problems = [];
    readonly List<string> _allowed = [];

    /// <summary>Expects a problem the test causes on purpose (a 404 it asks for), matched by a part of its text.</summary>
    public void Allow(string part) { lock (_problems) _allowed.Add(part); }

    public PageProblems(IPage page)
    {
        page.Dialog += (_, dialog) =>
        {
            lock (_problems) _problems.Add($"{dialog.Type} dialog: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        page.PageError += (_, error) => { lock (_problems) _problems.Add($"page error: {error}"); };
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (_problems) _problems.Add($"console error on {page.Url}: {message.Text}");
        };
    }

    public IReadOnlyList<string> Dialogs { get { lock (_problems) return _problems.Where(p => p.Contains(" dialog: ")).ToList(); } }

    public void AssertNone()
    {
        lock (_problems)
        {
            var unexpected = _problems.Where(p => !_allowed.Any(p.Contains)).ToList();
            Assert.True(unexpected.Count == 0, "The browser reported:\n" + string.Join("\n", unexpected));
        }
    }
}
