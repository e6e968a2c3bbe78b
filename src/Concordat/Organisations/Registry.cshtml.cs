using System.Text.RegularExpressions;
using Concordat.Audit;
using Concordat.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Organisations;

/// <summary>
/// Framework administrators keep the registry: add a body that is not yet in it (a charity, a
/// university, an out-of-region partner), or put right its name, type and codes. One page for both:
/// /organisations/new and /organisations/{id}/details.
/// </summary>
[Authorize]
public sealed partial class RegistryModel(ConcordatDb db, Viewer viewer, TimeProvider clock) : FormPage
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? ShortName { get; set; }
    [BindProperty] public string? Type { get; set; }
    [BindProperty] public string? GssCode { get; set; }
    [BindProperty] public string? OdsCode { get; set; }
    [BindProperty] public string? Website { get; set; }
    public Organisation? Existing { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken ct)
    {
        if (await RefuseUnlessAdministratorAsync(id, ct) is { } refused) return refused;
        if (id is not null)
        {
            if ((Existing = await db.Organisations.SingleOrDefaultAsync(o => o.Id == id, ct)) is null) return NotFound();
            (Name, ShortName, Type, GssCode, OdsCode, Website) =
                (Existing.Name, Existing.ShortName, EnumSlug<OrganisationType>.Of(Existing.Type), Existing.GssCode, Existing.OdsCode, Existing.Website);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int? id, CancellationToken ct)
    {
        if (await RefuseUnlessAdministratorAsync(id, ct) is { } refused) return refused;
        if (id is not null && (Existing = await db.Organisations.SingleOrDefaultAsync(o => o.Id == id, ct)) is null) return NotFound();

        var name = Clean(Name);
        if (name is null) Errors.Add("name", "Enter the organisation's name");
        else if (name.Length > 200) Errors.Add("name", "Name must be 200 characters or fewer");
        else if (await db.Organisations.AnyAsync(o => o.Name == name && o.Id != id, ct)) Errors.Add("name", $"{name} is already in the registry");
        var shortName = Clean(ShortName);
        if (shortName?.Length > 60) Errors.Add("shortName", "Short name must be 60 characters or fewer");
        if (!EnumSlug<OrganisationType>.TryParse(Type, out var type)) Errors.Add("type", "Select the type of organisation");
        var gss = Clean(GssCode)?.ToUpperInvariant();
        if (gss is not null && !GssPattern().IsMatch(gss)) Errors.Add("gssCode", "Enter a GSS code as a letter and 8 digits, like E09000007");
        else if (gss is not null && await db.Organisations.AnyAsync(o => o.GssCode == gss && o.Id != id, ct)) Errors.Add("gssCode", $"Another organisation already has the GSS code {gss}");
        var ods = Clean(OdsCode)?.ToUpperInvariant();
        if (ods is not null && !OdsPattern().IsMatch(ods)) Errors.Add("odsCode", "Enter an ODS code of 3 to 6 letters and digits, like RRU");
        else if (ods is not null && await db.Organisations.AnyAsync(o => o.OdsCode == ods && o.Id != id, ct)) Errors.Add("odsCode", $"Another organisation already has the ODS code {ods}");
        var website = Clean(Website);
        if (website is not null && (website.Length > 300 || !Uri.TryCreate(website, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            Errors.Add("website", "Enter the website's full address, starting https://");
        if (Errors.Count > 0) return Page();

        var organisation = Existing ?? new Organisation { Name = name! };
        var before = Existing is null ? null : Snapshot(Existing);
        (organisation.Name, organisation.ShortName, organisation.Type, organisation.GssCode, organisation.OdsCode, organisation.Website) =
            (name!, shortName, type, gss, ods, website);
        if (Existing is null) db.Organisations.Add(organisation);
        // The new organisation's id is not known before the save, so its event names it by name.
        AuditTrail.Record(db, viewer.Actor, Existing is null ? "organisation.created" : "organisation.changed",
            Existing is null ? $"organisation:{name}" : $"organisation:{organisation.Id}", new { before, after = Snapshot(organisation) }, clock, Existing?.Id);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = Existing is null ? $"{name} is added to the registry." : "The organisation's details are saved.";
        return Redirect($"/organisations/{organisation.Id}");
    }

    Task<IActionResult?> RefuseUnlessAdministratorAsync(int? id, CancellationToken ct) =>
        RegistryAccess.RefuseUnlessFrameworkAdministratorAsync(db, viewer, clock, id, "change the registry", ct);

    static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    static object Snapshot(Organisation o) => new { o.Name, o.ShortName, type = EnumSlug<OrganisationType>.Of(o.Type), o.GssCode, o.OdsCode, o.Website };

    [GeneratedRegex("^[EWSN][0-9]{8}$")]
    private static partial Regex GssPattern();

    [GeneratedRegex("^[A-Z0-9]{3,6}$")]
    private static partial Regex OdsPattern();
}

/// <summary>The registry is the framework administrators' to keep: anyone else is refused with 403, and the attempt audited.</summary>
public static class RegistryAccess
{
    /// <summary>Null for a framework administrator who may change things; otherwise the 403 to answer.</summary>
    public static async Task<IActionResult?> RefuseUnlessFrameworkAdministratorAsync(ConcordatDb db, Viewer viewer, TimeProvider clock, int? organisationId,
        string attempted, CancellationToken ct)
    {
        if (viewer.IsFrameworkAdministrator && viewer.MayChange) return null;
        AuditTrail.Record(db, viewer.Actor, "access.refused", organisationId is null ? "organisation:new" : $"organisation:{organisationId}", new { attempted }, clock,
            organisationId);
        await db.SaveChangesAsync(ct);
        return new StatusCodeResult(StatusCodes.Status403Forbidden);
    }
}
