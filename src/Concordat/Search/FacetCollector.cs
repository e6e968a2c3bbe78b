using System.Runtime.CompilerServices;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Concordat.Search;

/// <summary>
/// Collects the hits and the counts of every facet in one pass, as Lucene's drill-sideways does. The query carries no
/// facet filters: a match that passes every chosen filter is a hit and counts for every facet; a match that fails exactly
/// one filter counts only for that facet, whose counts leave its own filter out; anything else is skipped.
/// Counting works on ordinals from <see cref="SegmentFacets"/>; values are named once per segment, at the end.
/// </summary>
sealed class FacetCollector : ICollector
{
    static readonly string[] Facets = SearchFacets.All;
    static readonly int ReviewFacet = Array.IndexOf(SearchFacets.All, SearchFacets.Review);

    readonly ICollector _hits;
    readonly IReadOnlyList<string>?[] _chosen = new IReadOnlyList<string>?[Facets.Length];
    readonly int[] _filtered;
    readonly int _overdueBefore, _soonUntil;
    readonly Dictionary<string, int>[] _totals = Facets.Select(_ => new Dictionary<string, int>()).ToArray();

    SegmentFacets? _segment;
    readonly int[][] _counts = new int[Facets.Length][];
    readonly bool[][] _accepts = new bool[Facets.Length][];

    /// <param name="filters">chosen values by facet; values a facet cannot hold match nothing</param>
    public FacetCollector(ICollector hits, IReadOnlyDictionary<string, IReadOnlyList<string>> filters, DateOnly today)
    {
        _hits = hits;
        for (var f = 0; f < Facets.Length; f++)
            if (filters.TryGetValue(Facets[f], out var values) && values.Count > 0) _chosen[f] = values;
        _filtered = Enumerable.Range(0, Facets.Length).Where(f => _chosen[f] is not null).ToArray();
        _overdueBefore = today.DayNumber;
        _soonUntil = today.DayNumber + 90;
    }

    /// <summary>Counts by facet and value, after the search; values nobody matched are left out.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Counts
    {
        get
        {
            Flush();
            return Enumerable.Range(0, Facets.Length).ToDictionary(f => Facets[f], f => (IReadOnlyDictionary<string, int>)_totals[f]);
        }
    }

    public bool AcceptsDocsOutOfOrder => _hits.AcceptsDocsOutOfOrder;

    public void SetScorer(Scorer scorer) => _hits.SetScorer(scorer);

    public void SetNextReader(AtomicReaderContext context)
    {
        Flush();
        _hits.SetNextReader(context);
        _segment = SegmentFacets.For(context.AtomicReader);
        for (var f = 0; f < Facets.Length; f++)
        {
            var values = f == ReviewFacet ? SearchFacets.ReviewValues : _segment.Columns[f].Values;
            _counts[f] = new int[values.Length];
            _accepts[f] = _chosen[f] is { } chosen ? values.Select(chosen.Contains).ToArray() : [];
        }
    }

    public void Collect(int doc)
    {
        var failed = -1;
        foreach (var f in _filtered)
        {
            if (Passes(f, doc)) continue;
            if (failed >= 0) return;
            failed = f;
        }
        if (failed >= 0)
        {
            Count(failed, doc);
            return;
        }
        _hits.Collect(doc);
        for (var f = 0; f < Facets.Length; f++) Count(f, doc);
    }

    bool Passes(int facet, int doc)
    {
        var accepts = _accepts[facet];
        if (facet == ReviewFacet) return accepts[ReviewBucket(doc)];
        var column = _segment!.Columns[facet];
        for (var i = column.Starts[doc]; i < column.Starts[doc + 1]; i++)
            if (accepts[column.Ords[i]]) return true;
        return false;
    }

    void Count(int facet, int doc)
    {
        var counts = _counts[facet];
        if (facet == ReviewFacet)
        {
            counts[ReviewBucket(doc)]++;
            return;
        }
        var column = _segment!.Columns[facet];
        for (var i = column.Starts[doc]; i < column.Starts[doc + 1]; i++) counts[column.Ords[i]]++;
    }

    /// <summary>The index into <see cref="SearchFacets.ReviewValues"/>: overdue, within 90 days, later, none.</summary>
    int ReviewBucket(int doc)
    {
        var day = _segment!.ReviewDays[doc];
        return day == int.MaxValue ? 3 : day < _overdueBefore ? 0 : day <= _soonUntil ? 1 : 2;
    }

    void Flush()
    {
        if (_segment is null) return;
        for (var f = 0; f < Facets.Length; f++)
        {
            var values = f == ReviewFacet ? SearchFacets.ReviewValues : _segment.Columns[f].Values;
            for (var ord = 0; ord < values.Length; ord++)
                if (_counts[f][ord] > 0) _totals[f][values[ord]] = _totals[f].GetValueOrDefault(values[ord]) + _counts[f][ord];
        }
        _segment = null;
    }
}

/// <summary>
/// One segment's facet values as flat arrays of ordinals, read from its doc values once and kept while the segment lives
/// (segments never change; deletions are the scorer's business). Counting 100,000 matches is then array arithmetic.
/// </summary>
sealed class SegmentFacets
{
    static readonly ConditionalWeakTable<object, SegmentFacets> Cache = new();

    /// <summary>By facet, in the order of <see cref="SearchFacets.All"/>; the review facet's column is empty (see <see cref="ReviewDays"/>).</summary>
    public FacetColumn[] Columns { get; }

    /// <summary>Each document's review day number, int.MaxValue for none.</summary>
    public int[] ReviewDays { get; }

    SegmentFacets(AtomicReader reader)
    {
        Columns = SearchFacets.All.Select(f => f == SearchFacets.Review ? FacetColumn.Empty(reader.MaxDoc) : FacetColumn.Read(reader, f)).ToArray();
        ReviewDays = new int[reader.MaxDoc];
        var review = reader.GetNumericDocValues(AgreementSearchDocument.SortReview);
        for (var doc = 0; doc < reader.MaxDoc; doc++) ReviewDays[doc] = review is null ? int.MaxValue : (int)review.Get(doc);
    }

    public static SegmentFacets For(AtomicReader reader) => Cache.GetValue(reader.CoreCacheKey, _ => new SegmentFacets(reader));
}

/// <summary>A facet's values in one segment: document d holds Ords[Starts[d]..Starts[d+1]], each an index into Values.</summary>
sealed record FacetColumn(int[] Starts, int[] Ords, string[] Values)
{
    public static FacetColumn Empty(int documents) => new(new int[documents + 1], [], []);

    public static FacetColumn Read(AtomicReader reader, string facet)
    {
        var docValues = reader.GetSortedSetDocValues(facet);
        if (docValues is null) return Empty(reader.MaxDoc);
        var values = new string[docValues.ValueCount];
        var term = new BytesRef();
        for (var ord = 0; ord < values.Length; ord++)
        {
            docValues.LookupOrd(ord, term);
            values[ord] = term.Utf8ToString();
        }
        var starts = new int[reader.MaxDoc + 1];
        var ords = new List<int>(reader.MaxDoc);
        for (var doc = 0; doc < reader.MaxDoc; doc++)
        {
            docValues.SetDocument(doc);
            long ord;
            while ((ord = docValues.NextOrd()) != SortedSetDocValues.NO_MORE_ORDS) ords.Add((int)ord);
            starts[doc + 1] = ords.Count;
        }
        return new FacetColumn(starts, ords.ToArray(), values);
    }
}
