namespace Concordat.Agreements;

/// <summary>
/// Marks searched words in a document's text. Search sits above the register and provides it; the
/// register asks through this seam, so it never depends on search.
/// </summary>
public interface ITextHighlighter
{
    /// <summary>The text HTML-encoded, each match in a &lt;mark&gt; with the id "{idPrefix}-{n}", and how many there are.</summary>
    (string Html, int Matches) Highlight(string? query, string text, string idPrefix);
}
