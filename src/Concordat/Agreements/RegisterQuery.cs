using Concordat.Data;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

public enum RegisterSort { Title, Lead, Status, Review, Newest }

/// <summary>One page of the register as a person or client may see it, sorted and paged.</summary>
public sealed record RegisterRow(int Id, string Reference, string Title, AgreementStatus Status, AgreementType? AgreementType,
    int LeadOrganisationId, string LeadOrganisation, DateOnly? StartDate, DateOnly? ReviewDate, Visibility Visibility, bool Published);

public sealed record RegisterPage(IReadOnlyList<RegisterRow> Items, int Total, int Page, int PageSize, IReadOnlyDictionary<string, int> StatusCounts)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public sealed record RegisterRequest(int Page = 1, int PageSize = RegisterRequest.DefaultPageSize, RegisterSort Sort = RegisterSort.Title,
    bool Descending = false, int? OrganisationId = null)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>Reads page, pageSize and sort ("title", "-review") from strings, naming what is wrong.</summary>
    public static RegisterRequest Parse(string? page, string? pageSize, string? sort, FieldErrors errors)
    {
        var p = 1;
        if (!string.IsNullOrWhiteSpace(page) && (!int.TryParse(page, out p) || p < 1 || p > 100_000))
            errors.Add("page", "page must be a whole number from 1");
        var size = DefaultPageSize;
        if (!string.IsNullOrWhiteSpace(pageSize) && (!int.TryParse(pageSize, out size) || size < 1 || size > MaxPageSize))
            errors.Add("pageSize", $"pageSize must be a whole number from 1 to {MaxPageSize}");
        var descending = sort?.StartsWith('-') == true;
        var key = sort?.TrimStart('-');
        var order = RegisterSort.Title;
        if (!string.IsNullOrWhiteSpace(key) && !Enum.TryParse(key, ignoreCase: true, out order))
            errors.Add("sort", "sort must be one of title, lead, status, review, newest (prefix - for descending)");
        return new RegisterRequest(Math.Max(p, 1), Math.Clamp(size, 1, MaxPageSize), order, descending);
    }
}

public static class RegisterQuery
{
    /// <summary>Statuses in the order of an agreement's life, not alphabetical (they are stored by name).</summary>
    static readonly System.Linq.Expressions.Expression<Func<Agreement, int>> LifecycleOrder = a =>
        a.Status == AgreementStatus.Draft ? 0 : a.Status == AgreementStatus.InReview ? 1 : a.Status == AgreementStatus.AwaitingSignature ? 2
        : a.Status == AgreementStatus.Active ? 3 : a.Status == AgreementStatus.UnderReview ? 4 : a.Status == AgreementStatus.Expired ? 5
        : a.Status == AgreementStatus.Superseded ? 6 : 7;

    public static async Task<RegisterPage> RunAsync(ConcordatDb db, Viewer viewer, RegisterRequest request, CancellationToken ct)
    {
        var visible = db.Agreements.AsNoTracking().VisibleTo(viewer);
        if (request.OrganisationId is int orgId)
            visible = visible.Where(a => a.LeadOrganisationId == orgId || a.Parties.Any(p => p.OrganisationId == orgId));

        var total = await visible.CountAsync(ct);
        var statusCounts = await visible.GroupBy(a => a.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);

        var d = request.Descending;
        var sorted = request.Sort switch
        {
            RegisterSort.Lead => d ? visible.OrderByDescending(a => a.LeadOrganisation!.Name) : visible.OrderBy(a => a.LeadOrganisation!.Name),
            RegisterSort.Status => d ? visible.OrderByDescending(LifecycleOrder) : visible.OrderBy(LifecycleOrder),
            RegisterSort.Review => d ? visible.OrderByDescending(a => a.ReviewDate) : visible.OrderBy(a => a.ReviewDate),
            RegisterSort.Newest => d ? visible.OrderBy(a => a.Id) : visible.OrderByDescending(a => a.Id),
            _ => d ? visible.OrderByDescending(a => a.Title) : visible.OrderBy(a => a.Title),
        };
        var rows = await ((IOrderedQueryable<Agreement>)sorted).ThenBy(a => a.Id)
            .Skip((request.Page - 1) * request.PageSize).Take(request.PageSize)
            .Select(a => new RegisterRow(a.Id, a.Reference, a.Title, a.Status, a.AgreementType, a.LeadOrganisationId,
                a.LeadOrganisation!.Name, a.StartDate, a.ReviewDate, a.Visibility, a.PublishedAt != null))
            .ToListAsync(ct);
        return new RegisterPage(rows, total, request.Page, request.PageSize,
            statusCounts.ToDictionary(s => Shared.EnumSlug<AgreementStatus>.Of(s.Key), s => s.Count));
    }

    /// <summary>A whole agreement with what its page and the API show, if the user may see it.</summary>
    public static async Task<Agreement?> FindVisibleAsync(ConcordatDb db, Viewer viewer, int id, CancellationToken ct) =>
        (await LoadVisibleAsync(db, viewer, [id], ct)).SingleOrDefault();

    /// <summary>
    /// Whole agreements as <see cref="FindVisibleAsync"/> gives them, for a batch of ids (an export), in id order;
    /// ids the person may not see are left out.
    /// </summary>
    public static async Task<List<Agreement>> LoadVisibleAsync(ConcordatDb db, Viewer viewer, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var agreements = await db.Agreements.AsNoTracking().AsSplitQuery().VisibleTo(viewer).Where(a => ids.Contains(a.Id))
            .Include(a => a.LeadOrganisation)
            .Include(a => a.Parties).ThenInclude(p => p.Organisation)
            .Include(a => a.DataFlows).ThenInclude(f => f.FromOrganisation)
            .Include(a => a.DataFlows).ThenInclude(f => f.ToOrganisation)
            .Include(a => a.Files).ThenInclude(f => f.Versions)
            .OrderBy(a => a.Id)
            .ToListAsync(ct);
        // The superseded record is shown only to those who may see it: its title is a disclosure too.
        var superseded = agreements.Where(a => a.SupersedesId is not null).Select(a => a.SupersedesId!.Value).Distinct().ToList();
        var visibleSuperseded = superseded.Count == 0 ? []
            : await db.Agreements.AsNoTracking().VisibleTo(viewer).Where(a => superseded.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        foreach (var agreement in agreements)
        {
            // Files narrower than their agreement are left out for those who may not see them.
            agreement.Files.RemoveAll(f => !AgreementAccess.MaySeeFile(viewer, agreement, f));
            agreement.Supersedes = agreement.SupersedesId is int id ? visibleSuperseded.GetValueOrDefault(id) : null;
        }
        return agreements;
    }

    /// <summary>Just the agreement and its files, tracked, for adding a file or a version, if the viewer may change it.</summary>
    public static Task<Agreement?> FindForUploadAsync(ConcordatDb db, Viewer viewer, int id, CancellationToken ct) =>
        db.Agreements.AsSplitQuery().EditableBy(viewer).Include(a => a.Parties).Include(a => a.Files).SingleOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>The whole record, tracked, for editing, if the viewer may change it.</summary>
    public static Task<Agreement?> FindForEditAsync(ConcordatDb db, Viewer viewer, int id, CancellationToken ct) =>
        db.Agreements.AsSplitQuery().EditableBy(viewer)
            .Include(a => a.Parties)
            .Include(a => a.DataFlows)
            .Include(a => a.Files).ThenInclude(f => f.Versions)
            .Include(a => a.Supersedes)
            .SingleOrDefaultAsync(a => a.Id == id, ct);
}
