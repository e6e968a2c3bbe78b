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
        var rows = new List<SearchRow>(ids.Count);
        foreach (var hit in result.Hits)
        {
            if (!agreements.TryGetValue(hit.Id, out var a)) continue;
            // The purpose first, then the best passage of a file the person may read; a match in the title alone needs no snippet.
            var snippet = AgreementSearch.Snippet(result.Query, a.Purpose);
            if (snippet is null && hit.Passages.FirstOrDefault(p => AgreementAccess.MaySeeFileOf(viewer, a, p.FileVisibility)) is { } passage)
                snippet = AgreementSearch.Snippet(result.Query, await ExcerptAsync(db, passage, ct));
            rows.Add(new SearchRow(a.Id, a.Reference, a.Title, a.Status, a.AgreementType, a.LeadOrganisationId, a.LeadOrganisation?.Name ?? "",
                a.StartDate, a.ReviewDate, a.Visibility, a.PublishedAt is not null, snippet));
        }
        return rows;
    }

    const int Before = 80, ExcerptLength = 400;

    /// <summary>A few hundred characters around a passage, read by the database from the stored text.</summary>
    static Task<string?> ExcerptAsync(ConcordatDb db, SearchPassage passage, CancellationToken ct)
    {
        var from = Math.Max(0, passage.Start - Before);
        return db.FileTexts.AsNoTracking().Where(t => t.Sha256 == passage.Sha256).Select(t => t.Text.Substring(from, ExcerptLength)).FirstOrDefaultAsync(ct);
    }
}
