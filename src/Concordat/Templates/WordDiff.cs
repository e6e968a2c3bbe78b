using System.Net;
using System.Text;
using DiffPlex;
using Microsoft.AspNetCore.Html;

namespace Concordat.Templates;

/// <summary>A word-by-word difference between two wordings, readable on a page: template versions, and an agreement's departures from its template.</summary>
public static class WordDiff
{
    static readonly char[] WordBreaks = [' ', '\n', '\t', '.', ',', ';', ':'];

    /// <summary>The newer text, with removed words in del and added words in ins, each announced to screen readers.</summary>
    public static IHtmlContent Html(string older, string newer)
    {
        var diff = Differ.Instance.CreateWordDiffs(older, newer, ignoreWhitespace: false, WordBreaks);
        var html = new StringBuilder();
        void Run(IEnumerable<string> pieces, string? tag, string? spoken)
        {
            var text = string.Concat(pieces);
            if (text.Length == 0) return;
            var encoded = WebUtility.HtmlEncode(text);
            html.Append(tag is null ? encoded : $"<{tag}><span class=\"govuk-visually-hidden\">{spoken} </span>{encoded}<span class=\"govuk-visually-hidden\"> (end)</span></{tag}>");
        }
        var inOlder = 0;
        foreach (var block in diff.DiffBlocks)
        {
            Run(diff.PiecesOld.Skip(inOlder).Take(block.DeleteStartA - inOlder), null, null);
            Run(diff.PiecesOld.Skip(block.DeleteStartA).Take(block.DeleteCountA), "del", "removed:");
            Run(diff.PiecesNew.Skip(block.InsertStartB).Take(block.InsertCountB), "ins", "added:");
            inOlder = block.DeleteStartA + block.DeleteCountA;
        }
        Run(diff.PiecesOld.Skip(inOlder), null, null);
        return new HtmlString(html.ToString());
    }
}
