using Concordat.Agreements;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Doc = Concordat.Search.AgreementSearchDocument;

namespace Concordat.Search;

/// <summary>
/// Where the searched words cluster in one file of an agreement: the file's text (by hash), the file visibility the
/// text was indexed under, and the character offset where the cluster starts.
/// </summary>
public sealed record SearchPassage(Visibility FileVisibility, string Sha256, int Start, int Words);

/// <summary>
/// Finds passages from the offsets the index keeps with the postings of file text, so a snippet needs only a few
/// hundred characters of one file rather than every file of every hit read and analysed again.
/// </summary>
static class Passages
{
    static readonly Analyzer Analyzer = new EnglishAnalyzer(SearchIndex.Version);
    const int Window = 200, PerTerm = 64, PrefixExpansions = 64;

    /// <summary>Each thing typed that must match, alternatives included; a phrase's words count together as one.</summary>
    public static IReadOnlyList<QueryTerm> Wanted(QueryText text) => text.Required.SelectMany(g => g).ToList();

    /// <summary>The best passage in each file-text field the person may read, best first.</summary>
    public static IReadOnlyList<SearchPassage> Find(IndexSearcher searcher, int doc, Document stored, IReadOnlyList<QueryTerm> wanted,
        IEnumerable<string> readableFields)
    {
        if (wanted.Count == 0) return [];
        var leaves = searcher.IndexReader.Leaves;
        var leaf = leaves[ReaderUtil.SubIndex(doc, leaves)];
        var local = doc - leaf.DocBase;
        var parts = stored.GetValues(Doc.Part).Select(Doc.ReadPart).ToList();
        var found = new List<SearchPassage>();
        foreach (var field in readableFields)
        {
            var terms = leaf.AtomicReader.GetTerms(field);
            if (terms is null) continue;
            var hits = new List<(int Offset, int Wanted)>();
            var termsEnum = terms.GetEnumerator();
            for (var w = 0; w < wanted.Count; w++)
                foreach (var term in Expand(termsEnum, field, wanted[w]))
                    Offsets(termsEnum, term, local, w, hits);
            if (BestWindow(hits, wanted.Count) is not { } best) continue;
            if (Locate(parts.Where(p => p.Field == field).ToList(), best.Start) is { } at)
                found.Add(new SearchPassage(Doc.FileVisibilityOf(field), at.Sha256, at.Start, best.Words));
        }
        return found.OrderByDescending(p => p.Words).ToList();
    }

    /// <summary>The index terms one typed thing stands for: its stemmed words, or the words a prefix begins (a bounded few).</summary>
    static IEnumerable<BytesRef> Expand(TermsEnum termsEnum, string field, QueryTerm term)
    {
        if (term.Kind != QueryTermKind.Prefix)
        {
            foreach (var word in Analyse(field, term.Text)) yield return new BytesRef(word);
            yield break;
        }
        var prefix = new BytesRef(term.Text.ToLowerInvariant());
        if (termsEnum.SeekCeil(prefix) == TermsEnum.SeekStatus.END) yield break;
        var expanded = new List<BytesRef>();
        do
        {
            if (!StringHelper.StartsWith(termsEnum.Term, prefix)) break;
            expanded.Add(BytesRef.DeepCopyOf(termsEnum.Term));
        } while (expanded.Count < PrefixExpansions && termsEnum.MoveNext());
        foreach (var word in expanded) yield return word;
    }

    static List<string> Analyse(string field, string text)
    {
        var words = new List<string>();
        using var stream = Analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) words.Add(term.ToString());
        stream.End();
        return words;
    }

    static void Offsets(TermsEnum termsEnum, BytesRef term, int doc, int wanted, List<(int, int)> hits)
    {
        if (!termsEnum.SeekExact(term)) return;
        var postings = termsEnum.DocsAndPositions(null, null, DocsAndPositionsFlags.OFFSETS);
        if (postings is null || postings.Advance(doc) != doc) return;
        for (var i = Math.Min(postings.Freq, PerTerm); i > 0; i--)
        {
            postings.NextPosition();
            if (postings.StartOffset >= 0) hits.Add((postings.StartOffset, wanted));
        }
    }

    /// <summary>The earliest stretch of text holding the most of the different things typed.</summary>
    static (int Start, int Words)? BestWindow(List<(int Offset, int Wanted)> hits, int wantedCount)
    {
        if (hits.Count == 0) return null;
        hits.Sort();
        var inWindow = new int[wantedCount];
        var distinct = 0;
        (int Start, int Words) best = (hits[0].Offset, 0);
        for (int right = 0, left = 0; right < hits.Count; right++)
        {
            if (inWindow[hits[right].Wanted]++ == 0) distinct++;
            while (hits[right].Offset - hits[left].Offset > Window)
                if (--inWindow[hits[left++].Wanted] == 0) distinct--;
            if (distinct > best.Words) best = (hits[left].Offset, distinct);
        }
        return best;
    }

    /// <summary>
    /// Which file an offset falls in. A field holds each readable file's text in turn; the index counts offsets on
    /// from one value to the next, with a gap of one.
    /// </summary>
    static (string Sha256, int Start)? Locate(List<(string Field, string Sha256, int Length)> parts, int offset)
    {
        var from = 0;
        foreach (var part in parts)
        {
            if (offset < from + part.Length) return (part.Sha256, Math.Max(0, offset - from));
            from += part.Length + 1;
        }
        return null;
    }
}
