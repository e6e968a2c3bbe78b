using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Lucene.Net.Util;
using Microsoft.EntityFrameworkCore;
using Doc = Concordat.Search.AgreementSearchDocument;

namespace Concordat.Search;

public enum SearchSort { Relevance, Newest, Review, Title }

/// <param name="Filters">chosen values by facet (<see cref="SearchFacets"/>): ORed within a facet, ANDed across facets</param>
public sealed record SearchRequest(string? Q, int Page = 1, int PageSize = 20, SearchSort Sort = SearchSort.Relevance,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Filters = null);

/// <param name="Passages">where the searched words are in the files the person may read, best first</param>
public sealed record SearchHit(int Id, string Reference, string Title, IReadOnlyList<SearchPassage> Passages);

/// <summary>One page of matches the person may see, the total, and counts per facet value, each facet's own filter left out.</summary>
public sealed record SearchResult(IReadOnlyList<SearchHit> Hits, int Total, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Facets, Query Query);

/// <summary>
/// Searches the index as one person: their visibility labels are part of the query, so totals and
/// counts only ever include what they may see. Title words weigh most, then the record, then files.
/// </summary>
public sealed class AgreementSearch(SearchIndex index, ConcordatDb db, TimeProvider clock, SearchSignal signal)
{
    static readonly Analyzer Analyzer = new EnglishAnalyzer(SearchIndex.Version);
    static readonly TimeSpan CatchUp = TimeSpan.FromSeconds(2);

    public async Task<SearchResult> SearchAsync(Viewer viewer, SearchRequest request, CancellationToken ct)
    {
        await WaitForIndexAsync(ct);
        var text = QueryText.Parse(request.Q);
        var query = Build(text, viewer);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var filters = request.Filters ?? new Dictionary<string, IReadOnlyList<string>>();
        var searcher = index.Acquire();
        try
        {
            var wanted = Math.Max(1, request.Page * request.PageSize);
            var topCollector = request.Sort == SearchSort.Relevance
                ? (ITopDocsCollector)TopScoreDocCollector.Create(wanted, true)
                : TopFieldCollector.Create(SortFor(request.Sort), wanted, true, false, false, false);
            // The facet filters are applied by the collector, so every facet is counted in the same pass as the hits.
            var counter = new FacetCollector(topCollector, filters, today);
            searcher.Search(Restrict(query, viewer), counter);
            var top = topCollector.GetTopDocs();
            var words = Passages.Wanted(text);
            var hits = top.ScoreDocs.Skip((request.Page - 1) * request.PageSize).Select(d =>
            {
                var doc = searcher.Doc(d.Doc);
                var passages = Passages.Find(searcher, d.Doc, doc, words, ReadableTextFields(viewer, doc.GetValues(Doc.Label)));
                return new SearchHit(doc.GetField(Doc.Id).GetInt32Value() ?? 0, doc.Get(Doc.Reference), doc.Get(Doc.Title), passages);
            }).ToList();
            return new SearchResult(hits, top.TotalHits, counter.Counts, query);
        }
        finally
        {
            index.Release(searcher);
        }
    }

    /// <summary>The file-text fields whose passages this person may read on this agreement (AgreementAccess.MaySeeFile, by label).</summary>
    static IEnumerable<string> ReadableTextFields(Viewer viewer, string[] labels)
    {
        yield return Doc.Text;
        var party = viewer.IsFrameworkAdministrator || viewer.OrganisationIds.Any(o => labels.Contains($"party-{o}") || labels.Contains($"draft-{o}") || labels.Contains($"signing-{o}"));
        if (party || viewer.IsPartner) yield return Doc.PartnersText;
        if (party) yield return Doc.PartiesText;
    }

    /// <summary>Every agreement the search matches for this person, unpaged, as ids in id order: what an export of the search holds.</summary>
    public async Task<List<int>> MatchingIdsAsync(Viewer viewer, SearchRequest request, CancellationToken ct)
    {
        await WaitForIndexAsync(ct);
        var query = Restrict(Build(QueryText.Parse(request.Q), viewer), viewer);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var ids = new IdCollector();
        var searcher = index.Acquire();
        try
        {
            searcher.Search(query, new FacetCollector(ids, request.Filters ?? new Dictionary<string, IReadOnlyList<string>>(), today));
        }
        finally
        {
            index.Release(searcher);
        }
        ids.Ids.Sort();
        return ids.Ids;
    }

    /// <summary>The agreement id of every match, from doc values (no stored fields loaded).</summary>
    sealed class IdCollector : ICollector
    {
        NumericDocValues? _ids;
        public List<int> Ids { get; } = [];
        public bool AcceptsDocsOutOfOrder => true;
        public void SetScorer(Scorer scorer) { }
        public void SetNextReader(AtomicReaderContext context) => _ids = context.AtomicReader.GetNumericDocValues(Doc.SortId);
        public void Collect(int doc) => Ids.Add((int)_ids!.Get(doc));
    }

    /// <summary>
    /// A person who saves then searches sees their change, whichever node answers: the position to wait for is read from
    /// the database, and a node behind it wakes its indexer at once rather than at its next poll.
    /// </summary>
    async Task WaitForIndexAsync(CancellationToken ct)
    {
        var last = await db.SearchOutbox.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        if (index.AppliedSequence < last) signal.Raise();
        var deadline = DateTime.UtcNow + CatchUp;
        while (index.AppliedSequence < last && DateTime.UtcNow < deadline) await Task.Delay(20, ct);
    }

    static Sort SortFor(SearchSort sort) => sort switch
    {
        SearchSort.Newest => new Sort(new SortField(Doc.SortId, SortFieldType.INT64, reverse: true)),
        SearchSort.Review => new Sort(new SortField(Doc.SortReview, SortFieldType.INT64), new SortField(Doc.SortId, SortFieldType.INT64)),
        _ => new Sort(new SortField(Doc.SortTitle, SortFieldType.STRING), new SortField(Doc.SortId, SortFieldType.INT64)),
    };

    /// <summary>The words, phrases and prefixes across the fields this person may search.</summary>
    static Query Build(QueryText text, Viewer viewer)
    {
        var query = new BooleanQuery();
        foreach (var group in text.Required)
        {
            var alternatives = new BooleanQuery();
            foreach (var term in group)
                if (AcrossFields(term, viewer) is { } q) alternatives.Add(q, Occur.SHOULD);
            if (alternatives.Clauses.Count > 0) query.Add(alternatives, Occur.MUST);
        }
        foreach (var term in text.Excluded)
            if (AcrossFields(term, viewer) is { } q) query.Add(q, Occur.MUST_NOT);
        // Nothing to look for (an empty box, or only stop words and exclusions): everything they may see.
        if (!query.Clauses.Any(c => c.Occur == Occur.MUST)) query.Add(new MatchAllDocsQuery(), Occur.MUST);
        return query;
    }

    static Query? AcrossFields(QueryTerm term, Viewer viewer)
    {
        var fields = new BooleanQuery();
        void Add(string field, float boost)
        {
            if (ForField(term, field) is not { } q) return;
            q.Boost = boost;
            fields.Add(q, Occur.SHOULD);
        }
        Add(Doc.Title, 4f);
        Add(Doc.Record, 2f);
        Add(Doc.Text, 1f);
        if (viewer.IsPartner) Add(Doc.PartnersText, 1f);
        // Text for the parties only matches on agreements where the person's organisation is a party.
        if (ForField(term, Doc.PartiesText) is { } parties && PartyLabels(viewer) is { } partyOf)
            fields.Add(new BooleanQuery { { parties, Occur.MUST }, { partyOf, Occur.MUST } }, Occur.SHOULD);
        return fields.Clauses.Count > 0 ? fields : null;
    }

    static Query? ForField(QueryTerm term, string field) => term.Kind switch
    {
        QueryTermKind.Phrase => new QueryBuilder(Analyzer).CreatePhraseQuery(field, term.Text),
        QueryTermKind.Prefix => new PrefixQuery(new Term(field, term.Text.ToLowerInvariant())),
        _ => new QueryBuilder(Analyzer).CreateBooleanQuery(field, term.Text, Occur.MUST),
    };

    /// <summary>Labels for the text only parties may read; everything for framework administrators.</summary>
    static Query? PartyLabels(Viewer viewer)
    {
        if (viewer.IsFrameworkAdministrator) return new MatchAllDocsQuery();
        if (viewer.OrganisationIds.Length == 0) return null;
        var labels = new BooleanQuery();
        foreach (var organisation in viewer.OrganisationIds)
        {
            labels.Add(new TermQuery(new Term(Doc.Label, $"party-{organisation}")), Occur.SHOULD);
            labels.Add(new TermQuery(new Term(Doc.Label, $"signing-{organisation}")), Occur.SHOULD);
        }
        return labels;
    }

    /// <summary>Only what the person may see: the same rules as AgreementAccess, as labels.</summary>
    static Query Restrict(Query query, Viewer viewer)
    {
        if (viewer.IsFrameworkAdministrator) return query;
        var labels = new BooleanQuery { { new TermQuery(new Term(Doc.Label, "public")), Occur.SHOULD } };
        if (viewer.IsPartner) labels.Add(new TermQuery(new Term(Doc.Label, "partners")), Occur.SHOULD);
        foreach (var organisation in viewer.OrganisationIds)
        {
            labels.Add(new TermQuery(new Term(Doc.Label, $"party-{organisation}")), Occur.SHOULD);
            labels.Add(new TermQuery(new Term(Doc.Label, $"signing-{organisation}")), Occur.SHOULD);
        }
        foreach (var organisation in viewer.OrganisationsWhere(OrganisationRole.Editor)) labels.Add(new TermQuery(new Term(Doc.Label, $"draft-{organisation}")), Occur.SHOULD);
        return new BooleanQuery { { query, Occur.MUST }, { new ConstantScoreQuery(labels) { Boost = 0 }, Occur.MUST } };
    }
}

/// <summary>
/// Marks the searched words in short texts (a purpose, an excerpt of a file): the best fragment, HTML-encoded first, so
/// a file holding markup shows it as text. One per request: it is not safe to share between threads.
/// </summary>
sealed class SnippetMarker(Query query)
{
    static readonly Analyzer Analyzer = new EnglishAnalyzer(SearchIndex.Version);

    readonly Highlighter _highlighter = new(new SimpleHTMLFormatter("<mark>", "</mark>"), new SimpleHTMLEncoder(), new QueryScorer(query, Doc.Text))
    {
        TextFragmenter = new SimpleFragmenter(160),
    };

    public string? Mark(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var fragment = _highlighter.GetBestFragment(Analyzer, Doc.Text, text);
        return string.IsNullOrEmpty(fragment) ? null : fragment.Trim();
    }
}
