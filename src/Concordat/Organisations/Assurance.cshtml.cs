using System.Text.RegularExpressions;
using Concordat.Audit;
using Concordat.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Organisations;

/// <summary>
/// An organisation's administrators record its assurance for partners to see. Nothing is required:
/// an organisation without ISO 27001 or Cyber Essentials is a full partner.
/// </summary>
[Authorize]
public sealed partial class AssuranceModel(ConcordatDb db, Viewer viewer, TimeProvider clock) : FormPage
{
    public Organisation Organisation { get; private set; } = null!;

    [BindProperty] public string? IcoNumber { get; set; }
    [BindProperty] public DateParts IcoExpiry { get; set; } = new();
    [BindProperty] public string? Dspt { get; set; }
    [BindProperty] public DateParts DsptDate { get; set; } = new();
    [BindProperty] public string? CyberEssentials { get; set; }
    [BindProperty] public DateParts CyberEssentialsExpiry { get; set; } = new();
    [BindProperty] public DateParts Iso27001Expiry { get; set; } = new();
    [BindProperty] public string? DataProtectionOfficer { get; set; }
    [BindProperty] public DateParts AdoptedFrameworkOn { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var refused = await LoadAsync(id, "open the assurance form", ct);
        if (refused is not null) return refused;
        var o = Organisation;
        IcoNumber = o.IcoNumber;
        IcoExpiry = DateParts.From(Iso(o.IcoExpiry));
        Dspt = o.DsptStatus is { } s ? EnumSlug<DsptStatus>.Of(s) : "";
        DsptDate = DateParts.From(Iso(o.DsptDate));
        CyberEssentials = EnumSlug<CyberEssentialsLevel>.Of(o.CyberEssentials);
        CyberEssentialsExpiry = DateParts.From(Iso(o.CyberEssentialsExpiry));
        Iso27001Expiry = DateParts.From(Iso(o.Iso27001Expiry));
        DataProtectionOfficer = o.DataProtectionOfficer;
        AdoptedFrameworkOn = DateParts.From(Iso(o.AdoptedFrameworkOn));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        var refused = await LoadAsync(id, "change assurance", ct);
        if (refused is not null) return refused;
        var o = Organisation;
        var before = Snapshot(o);

        var ico = IcoNumber?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(ico)) ico = null;
        else if (!IcoPattern().IsMatch(ico)) Errors.Add("icoNumber", "Enter the ICO registration number as it appears on the ICO register, like Z1234567 or ZA123456");
        var icoExpiry = ReadDate(IcoExpiry, "icoExpiry", "ICO registration expiry");
        if (ico is null && icoExpiry is not null) Errors.Add("icoNumber", "Enter the ICO registration number the expiry date belongs to");

        DsptStatus? dspt = null;
        if (!string.IsNullOrEmpty(Dspt))
        {
            if (EnumSlug<DsptStatus>.TryParse(Dspt, out var parsed)) dspt = parsed;
            else Errors.Add("dspt", "Select the Data Security and Protection Toolkit status");
        }
        var dsptDate = ReadDate(DsptDate, "dsptDate", "toolkit publication date");

        var cyber = CyberEssentialsLevel.None;
        if (!string.IsNullOrEmpty(CyberEssentials) && !EnumSlug<CyberEssentialsLevel>.TryParse(CyberEssentials, out cyber))
            Errors.Add("cyberEssentials", "Select the Cyber Essentials certificate held, or none");
        var cyberExpiry = ReadDate(CyberEssentialsExpiry, "cyberEssentialsExpiry", "Cyber Essentials expiry");
        if (cyber != CyberEssentialsLevel.None && cyberExpiry is null && !Errors.ContainsKey("cyberEssentialsExpiry"))
            Errors.Add("cyberEssentialsExpiry", "Enter the date the Cyber Essentials certificate expires");

        var iso27001 = ReadDate(Iso27001Expiry, "iso27001Expiry", "ISO 27001 expiry");
        var dpo = DataProtectionOfficer?.Trim();
        if (dpo?.Length > 200) Errors.Add("dataProtectionOfficer", "Data protection officer must be 200 characters or fewer");
        var adopted = ReadDate(AdoptedFrameworkOn, "adoptedFrameworkOn", "date the framework was adopted");
        if (Errors.Count > 0) return Page();

        (o.IcoNumber, o.IcoExpiry, o.DsptStatus, o.DsptDate) = (ico, icoExpiry, dspt, dsptDate);
        (o.CyberEssentials, o.CyberEssentialsExpiry, o.Iso27001Expiry) = (cyber, cyber == CyberEssentialsLevel.None ? null : cyberExpiry, iso27001);
        (o.DataProtectionOfficer, o.AdoptedFrameworkOn) = (string.IsNullOrEmpty(dpo) ? null : dpo, adopted);
        AuditTrail.Record(db, viewer.Actor, "organisation.assurance-changed", $"organisation:{o.Id}", new { o.Name, before, after = Snapshot(o) }, clock, o.Id);
        await db.SaveChangesAsync(ct);
        TempData["Notice"] = "The assurance record is saved.";
        return Redirect($"/organisations/{id}");
    }

    async Task<IActionResult?> LoadAsync(int id, string attempted, CancellationToken ct)
    {
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == id, ct);
        if (organisation is null) return NotFound();
        Organisation = organisation;
        if (viewer.MayChange && viewer.Has(id, OrganisationRole.Administrator)) return null;
        AuditTrail.Record(db, viewer.Actor, "access.refused", $"organisation:{id}", new { attempted }, clock, id);
        await db.SaveChangesAsync(ct);
        return StatusCode(403);
    }

    DateOnly? ReadDate(DateParts parts, string key, string what)
    {
        var iso = parts.ToIso();
        if (iso is null) return null;
        if (DateOnly.TryParseExact(iso, "yyyy-MM-dd", out var date)) return date;
        Errors.Add(key, $"Enter the {what} as a real date, for example 27 3 2027");
        return null;
    }

    static string? Iso(DateOnly? date) => date?.ToString("yyyy-MM-dd");

    static object Snapshot(Organisation o) => new
    {
        o.IcoNumber, o.IcoExpiry, dspt = o.DsptStatus?.ToString(), o.DsptDate, cyberEssentials = o.CyberEssentials.ToString(),
        o.CyberEssentialsExpiry, o.Iso27001Expiry, o.DataProtectionOfficer, o.AdoptedFrameworkOn,
    };

    protected override string Anchor(string key) => key is "icoExpiry" or "dsptDate" or "cyberEssentialsExpiry" or "iso27001Expiry" or "adoptedFrameworkOn" ? key : FieldId(key);

    [GeneratedRegex("^[A-Z]{1,2}[0-9]{6,7}$")]
    private static partial Regex IcoPattern();
}
