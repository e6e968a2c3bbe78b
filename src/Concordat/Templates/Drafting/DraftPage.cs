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

    /// <summary>Loads the draft if it is this person's and still a draft (once in the register it is edited there).</summary>
    protected async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var draft = await db.AgreementDrafts.Include(d => d.TemplateVersion)
            .SingleOrDefaultAsync(d => d.Id == id && d.UserId == viewer.UserId && d.AgreementId == null, ct);
        if (draft is null) return false;
        Draft = draft;
        Template = await db.Templates.AsNoTracking().SingleAsync(t => t.Id == draft.TemplateVersion!.TemplateId, ct);
        OrganisationNames = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        Topics = Version.Questions.GroupBy(q => q.Topic).ToList();
        return true;
    }
}
