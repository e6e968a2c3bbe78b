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
            .Include(a => a.LeadOrganisation).Include(a => a.Parties).Include(a => a.Files).ThenInclude(f => f.Versions)
            .ToDictionaryAsync(a => a.Id, ct);
        var hashes = agreements.Values.SelectMany(a => a.Files.Where(f => AgreementAccess.MaySeeFile(viewer, a, f)))
            .Select(f => f.Versions.MaxBy(v => v.Number)!.Sha256).Distinct().ToList();
        var texts = await db.FileTexts.AsNoTracking().Where(t => hashes.Contains(t.Sha256)).ToDictionaryAsync(t => t.Sha256, t => t.Text, ct);

        return ids.Where(agreements.ContainsKey).Select(id =>
        {
            var a = agreements[id];
            // The purpose first, then each file the person may read; a match in the title alone needs no snippet.
            var sources = a.Files.Where(f => AgreementAccess.MaySeeFile(viewer, a, f))
                .Select(f => texts.GetValueOrDefault(f.Versions.MaxBy(v => v.Number)!.Sha256)).Prepend(a.Purpose);
            return new SearchRow(a.Id, a.Reference, a.Title, a.Status, a.AgreementType, a.LeadOrganisationId, a.LeadOrganisation?.Name ?? "",
                a.StartDate, a.ReviewDate, a.Visibility, a.PublishedAt is not null, AgreementSearch.Snippet(result.Query, sources));
        }).ToList();
    }
}
