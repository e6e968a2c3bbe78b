using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace Concordat.BrowserTests.Support;

public static class Accessibility
{
    /// <summary>
    /// WCAG 2.0, 2.1 and 2.2 at levels A and AA. axe-core has no "wcag22a" tag: WCAG 2.2's only new
    /// A criteria are not automatable, and its AA rules (target-size) carry "wcag22aa".
    /// </summary>
    public static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    /// <summary>Runs axe-core on the page as it is now and fails with every violation it finds.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions
        {
            RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] },
        });
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
}
