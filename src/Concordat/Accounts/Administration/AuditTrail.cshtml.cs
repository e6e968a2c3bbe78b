using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Accounts.Administration;

/// <summary>The whole audit trail for framework administrators, filtered by agreement, organisation, person and date.</summary>
[Authorize]
public sealed class AuditTrailModel(ConcordatDb db, Viewer viewer, TimeProvider clock) : FormPage
{
    const int PageSize = 50;

    [FromQuery(Name = "agreement")] public string? Agreement { get; set; }
    [FromQuery(Name = "organisation")] public string? Organisation { get; set; }
    [FromQuery(Name = "person")] public string? Person { get; set; }
    [FromQuery(Name = "from")] public DateParts From { get; set; } = new();
    [FromQuery(Name = "to")] public DateParts To { get; set; } = new();
    [FromQuery(Name = "page")] public string? PageParam { get; set; }

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];
    public IReadOnlyDictionary<int, string> OrganisationNames { get; private set; } = new Dictionary<int, string>();
    public IReadOnlyList<GovukForm.Option> OrganisationChoices { get; private set; } = [];
    public int Total { get; private set; }
    public int CurrentPage { get; private set; } = 1;
    public Pagination Pagination => new(CurrentPage, Math.Max(1, (Total + PageSize - 1) / PageSize), p => Href(p));
    /// <summary>The result of checking the chain, when asked.</summary>
    public string? ChainReport { get; private set; }
    public bool ChainIntact { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!viewer.IsFrameworkAdministrator) return await RefuseAsync(ct);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        if (!viewer.IsFrameworkAdministrator) return await RefuseAsync(ct);
        var (checkedCount, broken, why) = await AuditTrail.VerifyAsync(db, ct);
        ChainIntact = broken is null;
        ChainReport = broken is null
            ? $"The chain is intact: all {checkedCount} events follow each other and match their hashes."
            : $"The chain is broken at event {broken.Id} ({broken.Action}, {Display.Date(broken.At)}): {why}. {checkedCount} events before it are intact.";
        await LoadAsync(ct);
        return Page();
    }

    async Task<IActionResult> RefuseAsync(CancellationToken ct)
    {
        AuditTrail.Record(db, viewer.Actor, "access.refused", "audit-trail", new { attempted = "read the audit trail" }, clock);
        await db.SaveChangesAsync(ct);
        return StatusCode(403);
    }

    async Task LoadAsync(CancellationToken ct)
    {
        var organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct);
        OrganisationNames = organisations.ToDictionary(o => o.Id, o => o.Name);
        OrganisationChoices = organisations.Select(o => new GovukForm.Option(o.Id.ToString(), o.Name)).ToList();

        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(Agreement))
        {
            var subject = $"agreement:{Agreement.Trim().ToUpperInvariant()}";
            events = events.Where(e => e.Subject == subject);
        }
        if (!string.IsNullOrEmpty(Organisation))
        {
            if (int.TryParse(Organisation, out var organisationId) && OrganisationNames.ContainsKey(organisationId))
                events = events.Where(e => e.OrganisationId == organisationId);
            else Errors.Add("organisation", "Select an organisation from the list");
        }
        if (!string.IsNullOrWhiteSpace(Person))
        {
            // Who acted, or whom it was about (an invitation, a role change).
            var email = Person.Trim();
            var subject = $"person:{email.ToLowerInvariant()}";
            events = events.Where(e => e.Actor == email || e.Subject == subject);
        }
        if (ReadDate(From, "from", "from") is DateOnly from) events = events.Where(e => e.Day >= from);
        if (ReadDate(To, "to", "to") is DateOnly to) events = events.Where(e => e.Day <= to);
        if (!string.IsNullOrEmpty(PageParam) && (!int.TryParse(PageParam, out var page) || page < 1))
            Errors.Add("page", "page must be a whole number from 1");
        else CurrentPage = string.IsNullOrEmpty(PageParam) ? 1 : int.Parse(PageParam);

        Total = await events.CountAsync(ct);
        Events = await events.OrderByDescending(e => e.Id).Skip((CurrentPage - 1) * PageSize).Take(PageSize).ToListAsync(ct);
    }

    DateOnly? ReadDate(DateParts parts, string key, string label)
    {
        var iso = parts.ToIso();
        if (iso is null) return null;
        if (DateOnly.TryParseExact(iso, "yyyy-MM-dd", out var date)) return date;
        Errors.Add(key, $"Enter a real '{label}' date, for example 27 3 2026");
        return null;
    }

    string Href(int page) => "/audit" + QueryString.Create(new Dictionary<string, string?>
    {
        ["agreement"] = Agreement, ["organisation"] = Organisation, ["person"] = Person,
        ["from.Day"] = From.Day, ["from.Month"] = From.Month, ["from.Year"] = From.Year,
        ["to.Day"] = To.Day, ["to.Month"] = To.Month, ["to.Year"] = To.Year,
        ["page"] = page > 1 ? page.ToString() : null,
    }.Where(kv => !string.IsNullOrEmpty(kv.Value)));
}
