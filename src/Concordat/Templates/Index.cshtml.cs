using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Templates.Departures;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates;

/// <summary>The template library: every template with the version an agreement would be drafted from today.</summary>
public sealed class TemplateLibraryModel(ConcordatDb db, Viewer viewer) : PageModel
{
    public IReadOnlyList<(AgreementTemplate Template, TemplateVersion? Current)> Templates { get; private set; } = [];

    /// <summary>For framework approvers: draft agreements whose departures from a template wait for their approval.</summary>
    public IReadOnlyList<(int Id, string Reference, string Title)> DeparturesToApprove { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var templates = await db.Templates.AsNoTracking().Include(t => t.Versions).OrderBy(t => t.Type).ThenBy(t => t.Name).ToListAsync(ct);
        Templates = templates.Select(t => (t, TemplateAccess.Current(t, viewer))).Where(x => x.Item2 is not null).ToList();
        if (viewer.IsFrameworkAdministrator)
            DeparturesToApprove = (await db.TemplateDepartures.AsNoTracking().Where(d => d.ApprovedAt == null)
                .Join(db.Agreements.Where(a => a.Status == AgreementStatus.Draft), d => d.AgreementId, a => a.Id, (d, a) => new { a.Id, a.Reference, a.Title })
                .OrderBy(a => a.Id).ToListAsync(ct)).Select(a => (a.Id, a.Reference, a.Title)).ToList();
    }
}

/// <summary>Who sees which versions: the published states are for everyone, drafts and versions in review for framework administrators.</summary>
public static class TemplateAccess
{
    public static bool MaySee(Viewer viewer, TemplateVersion version) =>
        version.State is TemplateState.PreApproved or TemplateState.Superseded or TemplateState.Retired || viewer.IsFrameworkAdministrator;

    /// <summary>The pre-approved version if there is one, else the newest the viewer may see.</summary>
    public static TemplateVersion? Current(AgreementTemplate template, Viewer viewer) =>
        template.Versions.Where(v => v.State == TemplateState.PreApproved).MaxBy(v => v.Number)
        ?? template.Versions.Where(v => MaySee(viewer, v)).MaxBy(v => v.Number);
}
