using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates.Drafting;

/// <summary>What every drafting page loads: the person's own draft, its template version and the registry's names.</summary>
public abstract class DraftPage(ConcordatDb db, Viewer viewer) : FormPage
{
    public AgreementDraft Draft { get; private set; } = null!;
    public AgreementTemplate Template { get; private set; } = null!;
    public TemplateVersion Version => Draft.TemplateVersion!;
    public IReadOnlyDictionary<int, string> OrganisationNames { get; private set; } = new Dictionary<int, string>();
    /// <summary>The questions grouped onto pages, in the template's order.</summary>
    public IReadOnlyList<IGrouping<string, TemplateQuestion>> Topics { get; private set; } = [];

    protected ConcordatDb Db => db;
    protected Viewer Viewer => viewer;

    /// <summary>The agreement this draft made, while it is still a draft in the register; null before it is made.</summary>
    public Agreement? InRegister { get; private set; }
    DraftDocument? _document;
    /// <summary>The agreement as the answers and wording make it, rendered once per request.</summary>
    public DraftDocument Document => _document ??= new DraftDocument(Template, Draft, OrganisationNames);

    /// <summary>
    /// Loads the draft for the person drafting it; once it is in the register, for an editor of its lead organisation,
    /// until it is sent for sign-off (a text being signed does not change under the signatories).
    /// </summary>
    protected async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var draft = await db.AgreementDrafts.Include(d => d.TemplateVersion).SingleOrDefaultAsync(d => d.Id == id, ct);
        if (draft is null) return false;
        if (draft.AgreementId is int agreementId)
        {
            InRegister = await db.Agreements.AsSplitQuery().Include(a => a.Parties).Include(a => a.DataFlows).Include(a => a.Supersedes).Include(a => a.Files).ThenInclude(f => f.Versions)
                .SingleOrDefaultAsync(a => a.Id == agreementId && a.Status == AgreementStatus.Draft && a.PublishedAt == null, ct);
            if (InRegister is null || !AgreementAccess.MayPublish(viewer, InRegister)) return false;
        }
        else if (draft.UserId != viewer.UserId) return false;
        Draft = draft;
        Template = await db.Templates.AsNoTracking().SingleAsync(t => t.Id == draft.TemplateVersion!.TemplateId, ct);
        OrganisationNames = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        Topics = Version.Questions.GroupBy(q => q.Topic).ToList();
        return true;
    }
}
