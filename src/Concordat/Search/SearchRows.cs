using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Search;

/// <summary>A result as pages and the API show it: the record's summary and a highlighted snippet (HTML, already encoded).</summary>
public sealed record SearchRow(int Id, string Reference, string Title, AgreementStatus Status, AgreementType? AgreementType, int LeadOrganisationId,
    string LeadOrganisation, DateOnly? StartDate, DateOnly? ReviewDate, Visibility Visibility, bool Published, string? Snippet)
{
    public AgreementSummaryDto ToDto() => new(Id, Reference, Title, Status, AgreementType, new OrganisationRef(LeadOrganisationId, LeadOrganisation),
        StartDate, ReviewDate, Visibility, Published, $"/api/v1/agreements/{Id}", Snippet);
}

public static class SearchRows
{
    /// <summary>
    /// The records of one page of hits, in the hits' order. They are read through AgreementAccess again,
    /// and snippets come only from files the person may read.
    /// </summary>
    public static async Task<IReadOnlyList<SearchRow>> LoadAsync(ConcordatDb db, Viewer viewer, SearchResult result, CancellationToken ct)
    {
        var ids = result.Hits.Select(h => h.Id).ToList();
        var agreements = await db.Agreements.AsNoTracking().AsSplitQuery().VisibleTo(viewer).Where(a => ids.Contains(a.Id))
            .Include(a => a.LeadOrganisation).Include(a => a.Parties)
            .ToDictionaryAsync(a => a.Id, ct);
        // The purpose first, then the best passage of a file the person may read; a match in the title alone needs no snippet.
        var snippets = new SnippetMarker(result.Query);
        var purposes = result.Hits.Where(h => agreements.ContainsKey(h.Id)).ToDictionary(h => h.Id, h => snippets.Mark(agreements[h.Id].Purpose));
        var passages = result.Hits.Where(h => purposes.GetValueOrDefault(h.Id) is null && agreements.ContainsKey(h.Id))
            .Select(h => (h.Id, Passage: h.Passages.FirstOrDefault(p => AgreementAccess.MaySeeFileOf(viewer, agreements[h.Id], p.FileVisibility))))
            .Where(x => x.Passage is not null).ToList();
        var excerpts = await ExcerptsAsync(db, passages.Select(x => x.Passage!).ToList(), ct);
        var fromFiles = passages.Select((x, i) => (x.Id, Snippet: snippets.Mark(excerpts.GetValueOrDefault(i)))).ToDictionary(x => x.Id, x => x.Snippet);

        return result.Hits.Where(h => agreements.ContainsKey(h.Id)).Select(h =>
        {
            var a = agreements[h.Id];
            return new SearchRow(a.Id, a.Reference, a.Title, a.Status, a.AgreementType, a.LeadOrganisationId, a.LeadOrganisation?.Name ?? "",
                a.StartDate, a.ReviewDate, a.Visibility, a.PublishedAt is not null, purposes[h.Id] ?? fromFiles.GetValueOrDefault(h.Id));
        }).ToList();
    }

    const int Before = 80, ExcerptLength = 400;

    /// <summary>A row of the excerpts query: set by member initialisation, which EF can translate inside UNION ALL.</summary>
    sealed class Excerpt
    {
        public int Number { get; init; }
        public string? Text { get; init; }
    }

    /// <summary>A few hundred characters around each passage, cut out by the database from the stored text, in one round trip (UNION ALL).</summary>
    static async Task<Dictionary<int, string?>> ExcerptsAsync(ConcordatDb db, IReadOnlyList<SearchPassage> passages, CancellationToken ct)
    {
        if (passages.Count == 0) return [];
        IQueryable<Excerpt>? query = null;
        foreach (var (passage, number) in passages.Select((p, i) => (p, i)))
        {
            var (sha256, start) = (passage.Sha256, Math.Max(0, passage.Start - Before));
            var one = db.FileTexts.AsNoTracking().Where(t => t.Sha256 == sha256).Select(t => new Excerpt { Number = number, Text = t.Text.Substring(start, ExcerptLength) });
            query = query is null ? one : query.Concat(one);
        }
        var rows = await query!.ToListAsync(ct);
        return rows.ToDictionary(r => r.Number, r => r.Text);
    }
}
