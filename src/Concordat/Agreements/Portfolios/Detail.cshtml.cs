using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements.Portfolios;

/// <summary>An organisation's whole portfolio of agreements on one page, and its recorded assurance.</summary>
public sealed class OrganisationModel(ConcordatDb db, Viewer viewer, TimeProvider clock) : FormPage
{
    [FromQuery(Name = "page")] public string? PageParam { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
    public Organisation Organisation { get; private set; } = null!;
    public RegisterPage Portfolio { get; private set; } = null!;
    public Dictionary<int, PartyRole?> Roles { get; private set; } = [];
    /// <summary>How many of the agreements the viewer sees here were built on a pre-approved template, not uploaded as legacy.</summary>
    public int OnTemplates { get; private set; }
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
    /// <summary>How far ahead the "due for review" list looks.</summary>
    public const int ReviewHorizonDays = 90;
    /// <summary>Agreements in force that this organisation leads whose review falls due within the horizon, or is overdue.</summary>
    public List<DueReview> DueForReview { get; private set; } = [];
    /// <summary>Its people may see who is who; its administrators manage them and the assurance record.</summary>
    public bool IsMember => viewer.Has(Organisation.Id, OrganisationRole.Member);
    public bool CanManage => viewer.MayChange && viewer.Has(Organisation.Id, OrganisationRole.Administrator);
    public bool CanChangeRegistry => viewer.MayChange && viewer.IsFrameworkAdministrator;
    [TempData] public string? Notice { get; set; }
    public Pagination Pagination => new(Portfolio.Page, Portfolio.PageCount, p => $"/organisations/{Organisation.Id}?page={p}");

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var organisation = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null) return NotFound();
        Organisation = organisation;
        var request = RegisterRequest.Parse(PageParam, null, Sort ?? "review", Errors);
        // A whole portfolio fits on one page: London Fire Brigade has over a hundred agreements.
        Portfolio = await RegisterQuery.RunAsync(db, viewer, request with { PageSize = RegisterRequest.MaxPageSize * 5, OrganisationId = id }, ct);
        var ids = Portfolio.Items.Select(i => i.Id).ToList();
        OnTemplates = await db.Agreements.VisibleTo(viewer)
            .CountAsync(a => (a.LeadOrganisationId == id || a.Parties.Any(p => p.OrganisationId == id)) && a.TemplateReference != null, ct);
        var horizon = Today.AddDays(ReviewHorizonDays);
        DueForReview = await db.Agreements.VisibleTo(viewer).AsNoTracking()
            .Where(a => a.LeadOrganisationId == id && a.ReviewDate != null && a.ReviewDate <= horizon
                        && (a.Status == AgreementStatus.Active || a.Status == AgreementStatus.UnderReview))
            .OrderBy(a => a.ReviewDate).ThenBy(a => a.Id)
            .Select(a => new DueReview(a.Id, a.Title, a.Reference, a.ReviewDate!.Value))
            .ToListAsync(ct);
        Roles = await db.AgreementParties.AsNoTracking().Where(p => p.OrganisationId == id && ids.Contains(p.AgreementId))
            .ToDictionaryAsync(p => p.AgreementId, p => (PartyRole?)p.Role, ct);
        return Page();
    }

    public string Expiry(DateOnly? date) => date is not DateOnly d ? "Not recorded"
        : d < Today ? $"Expired {Display.Date(d)}" : $"Valid until {Display.Date(d)}";

    public bool Expired(DateOnly? date) => date is DateOnly d && d < Today;
}

/// <summary>An agreement whose review is due (<see cref="OrganisationModel.DueForReview"/>).</summary>
public sealed record DueReview(int Id, string Title, string Reference, DateOnly ReviewDate);
