using Concordat.Agreements;
using Lucene.Net.Analysis.En;
using Lucene.Net.Search.Highlight;
using Lucene.Net.Util;

namespace Concordat.Search;

/// <summary>Marks every match of a search in a whole text, with the same analysis (stemming) as the index, so what was found is what is marked.</summary>
public sealed class TextHighlighter : ITextHighlighter
{
    static readonly EnglishAnalyzer Analyzer = new(SearchIndex.Version);

    public (string Html, int Matches) Highlight(string? query, string text, string idPrefix)
    {
        var parsed = QueryText.Parse(query);
        var encoder = new SimpleHTMLEncoder();
        if (parsed.Required.Count == 0) return (encoder.EncodeText(text), 0);
        var lucene = new Lucene.Net.Search.BooleanQuery();
        foreach (var term in parsed.Required.SelectMany(g => g))
        {
            Lucene.Net.Search.Query? q = term.Kind switch
            {
                QueryTermKind.Phrase => new QueryBuilder(Analyzer).CreatePhraseQuery(AgreementSearchDocument.Text, term.Text),
                QueryTermKind.Prefix => new Lucene.Net.Search.PrefixQuery(new Lucene.Net.Index.Term(AgreementSearchDocument.Text, term.Text.ToLowerInvariant())),
                _ => new QueryBuilder(Analyzer).CreateBooleanQuery(AgreementSearchDocument.Text, term.Text),
            };
            if (q is not null) lucene.Add(q, Lucene.Net.Search.Occur.SHOULD);
        }
        var marker = new NumberedMarks(idPrefix);
        var scorer = new QueryScorer(lucene, AgreementSearchDocument.Text) { ExpandMultiTermQuery = true };
        var highlighter = new Highlighter(marker, encoder, scorer) { TextFragmenter = new NullFragmenter(), MaxDocCharsToAnalyze = Math.Max(text.Length, 1) };
        var html = highlighter.GetBestFragment(Analyzer, AgreementSearchDocument.Text, text);
        return html is null ? (encoder.EncodeText(text), 0) : (html, marker.Count);
    }

    /// <summary>Each match a mark with its own id, so the page can link from one to the next without script.</summary>
    sealed class NumberedMarks(string prefix) : IFormatter
    {
        public int Count { get; private set; }

        public string HighlightTerm(string originalText, TokenGroup tokenGroup) =>
            tokenGroup.TotalScore <= 0 ? originalText : $"<mark id=\"{prefix}-{++Count}\">{originalText}</mark>";
    }
}
