using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace Concordat.BrowserTests.Support;

public static partial class Accessibility
{
    /// <summary>
    /// WCAG 2.0, 2.1 and 2.2 at levels A and AA. axe-core has no "wcag22a" tag (none of WCAG 2.2's
    /// new level A criteria can be tested automatically); its 2.2 AA rule, target-size, carries "wcag22aa".
    /// </summary>
    public static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    static readonly ConditionalWeakTable<IBrowserContext, object> Scriptless = [];

    /// <summary>Marks a context made with JavaScript disabled: axe-core cannot be evaluated in its pages.</summary>
    public static void MarkScriptless(IBrowserContext context) => Scriptless.AddOrUpdate(context, true);

    /// <summary>Runs axe-core on the page as it is now and fails with every violation it finds.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = Scriptless.TryGetValue(page.Context, out _) ? await AuditScriptlessAsync(page) : await RunAsync(page);
        if (result.Violations.Length == 0) return;

        var message = new StringBuilder($"axe-core found {result.Violations.Length} accessibility violation(s) on {page.Url}:");
        foreach (var violation in result.Violations)
        {
            message.AppendLine().Append($"- {violation.Id} ({violation.Impact}): {violation.Help} [{string.Join(", ", violation.Tags)}] {violation.HelpUrl}");
            foreach (var node in violation.Nodes)
            {
                message.AppendLine().Append($"    at {node.Target}: {node.Html}");
                var checks = (node.Any ?? []).Concat(node.All ?? []).Concat(node.None ?? []).Select(c => c.Message).Where(m => !string.IsNullOrWhiteSpace(m));
                foreach (var check in checks.Distinct()) message.AppendLine().Append("      ").Append(check.ReplaceLineEndings(" "));
            }
        }
        throw new XunitException(message.ToString());
    }

    static AxeRunOptions Options() => new() { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } };

    /// <summary>
    /// axe-core over the whole document. page.RunAxe() aggregates its results in a blank page it
    /// opens for each run, which costs about 2 s here against 0.4 s for the in-page ("legacy") run,
    /// and the suite runs axe some fifty times. The pages have no frames, the one thing the legacy run
    /// handles differently (it skips cross-origin frames), and both runs report the same rules for
    /// the same page; the html element as context is the whole document.
    /// </summary>
    static Task<AxeResult> RunAsync(IPage page)
    {
#pragma warning disable CS0618 // RunAxeLegacy is marked for removal in a future major version of the package.
        return page.Locator("html").RunAxeLegacy(Options());
#pragma warning restore CS0618
    }

    /// <summary>
    /// Playwright cannot evaluate script in a page of a JavaScript-disabled context (the call never
    /// returns), so the page's document, exactly as the browser holds it, is served at the same
    /// address to a scripted audit page with its own scripts removed, and axe-core runs there.
    /// Stylesheets and images load from the app as before; what axe sees is the no-JavaScript page.
    /// One audit page per browser is reused.
    /// </summary>
    static async Task<AxeResult> AuditScriptlessAsync(IPage page)
    {
        var html = ScriptElement().Replace(await page.ContentAsync(), "");
        var address = page.Url.Split('#')[0];
        var browser = page.Context.Browser ?? throw new InvalidOperationException("The page has no browser.");
        var auditor = Auditors.GetValue(browser, _ => new ScriptlessAuditor());
        return await auditor.AuditAsync(browser, address, html, page.ViewportSize);
    }

    static readonly ConditionalWeakTable<IBrowser, ScriptlessAuditor> Auditors = [];

    sealed class ScriptlessAuditor
    {
        readonly SemaphoreSlim _gate = new(1, 1);
        IPage? _page;
        string _address = "";
        string _html = "";

        public async Task<AxeResult> AuditAsync(IBrowser browser, string address, string html, PageViewportSizeResult? viewport)
        {
            await _gate.WaitAsync();
            try
            {
                if (_page is null || _page.IsClosed)
                {
                    var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-GB" });
                    _page = await context.NewPageAsync();
                    // The document comes from the captured page; everything it loads comes from the app.
                    await _page.RouteAsync("**/*", route =>
                        route.Request.IsNavigationRequest && route.Request.Url.Split('#')[0] == _address
                            ? route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "text/html; charset=utf-8", Body = _html })
                            : route.ContinueAsync());
                }
                if (viewport is not null) await _page.SetViewportSizeAsync(viewport.Width, viewport.Height);
                (_address, _html) = (address, html);
                await _page.GotoAsync(address);
                return await RunAsync(_page);
            }
            finally { _gate.Release(); }
        }
    }

    [GeneratedRegex(@"<script\b[^>]*>.*?</script\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptElement();
}
