using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates.Drafting;

/// <summary>
/// Starting an agreement from a pre-approved template: first the agreements already in the register that might do
/// instead ("reuse before you write"), then the lead organisation, then the questions.
/// </summary>
public sealed class DraftStartModel(ConcordatDb db, Viewer viewer, TimeProvider clock) : FormPage
{
    public AgreementTemplate Template { get; private set; } = null!;
    public TemplateVersion Version { get; private set; } = null!;
    public IReadOnlyList<GovukForm.Option> Leads { get; private set; } = [];
    /// <summary>Agreements of the same type the person may see, involving their organisations: one may already serve.</summary>
    public IReadOnlyList<Agreement> Existing { get; private set; } = [];
    [BindProperty] public int? LeadOrganisationId { get; set; }

    public async Task<IActionResult> OnGetAsync([FromQuery] int template, CancellationToken ct) => await LoadAsync(template, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync([FromQuery] int template, CancellationToken ct)
    {
        if (await LoadAsync(template, ct) is { } refused) return refused;
        if (LeadOrganisationId is not int lead || Leads.All(o => o.Value != lead.ToString()))
        {
            Errors.Add("leadOrganisationId", "Select the organisation that leads the agreement");
            return Page();
        }
        var draft = new AgreementDraft
        {
            TemplateVersionId = Version.Id, LeadOrganisationId = lead, UserId = viewer.UserId!, CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow(),
        };
        db.AgreementDrafts.Add(draft);
        await db.SaveChangesAsync(ct);
        return Redirect($"/drafts/{draft.Id}/topics/1");
    }

    async Task<IActionResult?> LoadAsync(int templateId, CancellationToken ct)
    {
        if (!AgreementAccess.MayCreate(viewer)) return StatusCode(StatusCodes.Status403Forbidden);
        var template = await db.Templates.AsNoTracking().Include(t => t.Versions).SingleOrDefaultAsync(t => t.Id == templateId, ct);
        var version = template?.Versions.Where(v => v.State == TemplateState.PreApproved).MaxBy(v => v.Number);
        if (template is null || version is null) return NotFound();
        (Template, Version) = (template, version);
        var organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).ToListAsync(ct);
        Leads = organisations.Where(o => AgreementAccess.MayLeadFor(viewer, o.Id)).Select(o => new GovukForm.Option(o.Id.ToString(), o.Name)).ToList();
        var type = TemplateTypes.AgreementTypeOf(template.Type);
        var mine = viewer.OrganisationIds;
        Existing = await db.Agreements.AsNoTracking().VisibleTo(viewer).Include(a => a.LeadOrganisation)
            .Where(a => a.AgreementType == type && (viewer.IsFrameworkAdministrator || mine.Contains(a.LeadOrganisationId) || a.Parties.Any(p => mine.Contains(p.OrganisationId))))
            .OrderByDescending(a => a.Id).Take(10).ToListAsync(ct);
        return null;
    }
}
