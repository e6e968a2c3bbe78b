using System.Linq.Expressions;
using Concordat.Organisations;
using Concordat.Shared;

namespace Concordat.Agreements;

/// <summary>What part of an agreement a change touches: each part has an owner (<see cref="AgreementAccess.Fields"/>).</summary>
public enum AgreementPart { Lead, Parties, Visibility, Record, DataFlows }

/// <summary>
/// The one place that decides who sees and changes which agreements and files. Every way in (pages,
/// downloads, the API, later exports and search) asks here, and the access matrix test walks every
/// route to prove it.
/// <list type="bullet">
/// <item>A published agreement is seen by everyone (public), by any member of a registered organisation
/// (partners), or by members of its lead and party organisations (parties only).</item>
/// <item>A draft is seen only by editors of its lead organisation, and, while it awaits signature, by the members of its
/// parties, who must read what they are asked to sign.</item>
/// <item>A file may be narrower than its agreement (a partners-only DPIA on a public agreement).</item>
/// <item>Framework administrators see and change everything.</item>
/// <item>The lead's editors change everything of its agreements; once one is published, a party's editors change only what
/// their own organisation contributes: the data flows it sends and the files it added (<see cref="RefusedChanges"/>, <see cref="RefusedFile"/>).</item>
/// </list>
/// </summary>
public static class AgreementAccess
{
    public static IQueryable<Agreement> VisibleTo(this IQueryable<Agreement> agreements, Viewer viewer) =>
        agreements.Where(SeenBy(viewer));

    public static IQueryable<FileVersion> VisibleTo(this IQueryable<FileVersion> versions, Viewer viewer) =>
        versions.Where(Through((FileVersion v) => v.File!.Agreement!, SeenBy(viewer)))
            .Where(Through((FileVersion v) => v.File!, FileSeenBy(viewer)));

    /// <summary>Agreements the viewer may change: drafts their organisation leads, published ones it leads or is party to.</summary>
    public static IQueryable<Agreement> EditableBy(this IQueryable<Agreement> agreements, Viewer viewer)
    {
        if (!viewer.MayChange) return agreements.Where(a => false);
        if (viewer.IsFrameworkAdministrator) return agreements;
        var editorOf = viewer.OrganisationsWhere(OrganisationRole.Editor);
        return agreements.Where(a => editorOf.Contains(a.LeadOrganisationId)
            || (a.PublishedAt != null && a.Parties.Any(p => editorOf.Contains(p.OrganisationId))));
    }

    /// <summary>Whether the viewer may add agreements at all (an editor somewhere, or a framework administrator).</summary>
    public static bool MayCreate(Viewer viewer) =>
        viewer.MayChange && (viewer.IsFrameworkAdministrator || viewer.OrganisationsWhere(OrganisationRole.Editor).Length > 0);

    /// <summary>Whether the viewer may lead an agreement for this organisation (create it, or move it there).</summary>
    public static bool MayLeadFor(Viewer viewer, int organisationId) =>
        viewer.MayChange && viewer.Has(organisationId, OrganisationRole.Editor);

    /// <summary>Publishing is for the lead organisation's editors.</summary>
    public static bool MayPublish(Viewer viewer, Agreement agreement) => MayChangeEverything(viewer, agreement.LeadOrganisationId);

    /// <summary>
    /// Whether the viewer may change everything about an agreement led by this organisation (its record, lead, parties and
    /// visibility, every file): the lead's editors and framework administrators. A party's editors change only what their
    /// own organisation contributes (<see cref="RefusedChanges"/>, <see cref="RefusedFile"/>).
    /// </summary>
    public static bool MayChangeEverything(Viewer viewer, int leadOrganisationId) => MayLeadFor(viewer, leadOrganisationId);

    /// <summary>The organisations, party to the agreement, for which the viewer edits: what they contribute is theirs to change.</summary>
    public static int[] ContributesFor(Viewer viewer, IEnumerable<int> partyOrganisationIds)
    {
        var parties = partyOrganisationIds.ToHashSet();
        return viewer.MayChange ? viewer.OrganisationsWhere(OrganisationRole.Editor).Where(parties.Contains).ToArray() : [];
    }

    /// <summary>
    /// Which part of the record each field of <see cref="AgreementInput"/> is, and how a refusal names it. Every field must
    /// be here: a new one that is not stops the app at its first change, so nobody can add a field without deciding who owns it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (AgreementPart Part, string Label)> Fields = new Dictionary<string, (AgreementPart, string)>
    {
        [nameof(AgreementInput.LeadOrganisationId)] = (AgreementPart.Lead, "the lead organisation"),
        [nameof(AgreementInput.Parties)] = (AgreementPart.Parties, "the parties and their roles"),
        [nameof(AgreementInput.Visibility)] = (AgreementPart.Visibility, "who may see the agreement"),
        [nameof(AgreementInput.DataFlows)] = (AgreementPart.DataFlows, "data flows"),
        [nameof(AgreementInput.Title)] = (AgreementPart.Record, "the title"),
        [nameof(AgreementInput.AgreementType)] = (AgreementPart.Record, "the agreement type"),
        [nameof(AgreementInput.Purpose)] = (AgreementPart.Record, "the purpose"),
        [nameof(AgreementInput.Benefits)] = (AgreementPart.Record, "the benefits"),
        [nameof(AgreementInput.Description)] = (AgreementPart.Record, "the full description"),
        [nameof(AgreementInput.DataSubjects)] = (AgreementPart.Record, "the data subjects"),
        [nameof(AgreementInput.Sensitivity)] = (AgreementPart.Record, "the data sensitivity"),
        [nameof(AgreementInput.LawfulBasis)] = (AgreementPart.Record, "the lawful basis"),
        [nameof(AgreementInput.SpecialCategoryCondition)] = (AgreementPart.Record, "the Article 9 or 10 condition"),
        [nameof(AgreementInput.LegalPowers)] = (AgreementPart.Record, "the legal powers"),
        [nameof(AgreementInput.PanLondon)] = (AgreementPart.Record, "whether it covers the whole of London"),
        [nameof(AgreementInput.Boroughs)] = (AgreementPart.Record, "the boroughs covered"),
        [nameof(AgreementInput.Themes)] = (AgreementPart.Record, "the themes"),
        [nameof(AgreementInput.Dpia)] = (AgreementPart.Record, "the DPIA status"),
        [nameof(AgreementInput.Status)] = (AgreementPart.Record, "the status"),
        [nameof(AgreementInput.StartDate)] = (AgreementPart.Record, "the start date"),
        [nameof(AgreementInput.ReviewDate)] = (AgreementPart.Record, "the review date"),
        [nameof(AgreementInput.EndDate)] = (AgreementPart.Record, "the end date"),
        [nameof(AgreementInput.Version)] = (AgreementPart.Record, "the version"),
        [nameof(AgreementInput.Supersedes)] = (AgreementPart.Record, "the agreement it supersedes"),
        [nameof(AgreementInput.ContactEmail)] = (AgreementPart.Record, "the contact mailbox"),
    };

    static readonly System.Reflection.PropertyInfo[] InputProperties = typeof(AgreementInput).GetProperties();

    /// <summary>
    /// The changes from the record as stored to the record as submitted that the viewer may not make, each under its field.
    /// Judged on both: the right to change an agreement is not the right to make every change to it. Empty for the lead's
    /// editors and framework administrators; a party's editor may add, change and remove only the data flows their own
    /// organisation sends, so nothing they submit can remove or narrow another party.
    /// </summary>
    /// <param name="stored">the record before the change, as <see cref="ForComparison"/> gives it</param>
    /// <param name="submitted">the record with the change applied, likewise</param>
    /// <param name="leadName">the lead organisation's name, for the message saying who can make the change</param>
    public static FieldErrors RefusedChanges(Viewer viewer, AgreementInput stored, AgreementInput submitted, string leadName, string? contact)
    {
        var refused = new FieldErrors();
        if (MayChangeEverything(viewer, stored.LeadOrganisationId ?? 0)) return refused;
        string Ask(string what) => $"Only editors of {leadName}, which leads this agreement, or a framework administrator can change {what}" +
            (contact is null ? "" : $". Ask them at {contact}");
        foreach (var property in InputProperties.Where(p => !Fields.ContainsKey(p.Name)))
            throw new InvalidOperationException($"AgreementInput.{property.Name} is in no part of AgreementAccess.Fields: decide who may change it.");
        foreach (var name in AgreementInputComparison.ChangedFields(stored, submitted).Where(n => Fields[n].Part != AgreementPart.DataFlows))
            refused.Add(AgreementInputComparison.JsonName(name), Ask(Fields[name].Label));

        var own = ContributesFor(viewer, (stored.Parties ?? []).Select(p => p.OrganisationId ?? 0));
        var before = (stored.DataFlows ?? []).Select(AgreementInputComparison.Canonical).ToList();
        var after = (submitted.DataFlows ?? []).Select(AgreementInputComparison.Canonical).ToList();
        var added = after.ToList();
        foreach (var flow in before) added.Remove(flow);
        var removed = before.ToList();
        foreach (var flow in after) removed.Remove(flow);
        for (var i = 0; i < (submitted.DataFlows ?? []).Count; i++)
            if (submitted.DataFlows![i] is { } flow && added.Contains(AgreementInputComparison.Canonical(flow)) && !own.Contains(flow.FromOrganisationId ?? 0))
                refused.Add($"dataFlows[{i}].fromOrganisationId", Ask("data flows that other organisations send") + ". You can change the flows your own organisation sends");
        if ((stored.DataFlows ?? []).Any(f => removed.Contains(AgreementInputComparison.Canonical(f)) && !own.Contains(f.FromOrganisationId ?? 0)))
            refused.Add("dataFlows", Ask("data flows that other organisations send") + ". You can change the flows your own organisation sends");
        return refused;
    }

    /// <summary>
    /// Why the viewer may not add this file, or a version of an existing one, or null when they may. The lead's editors may
    /// do both to any file; a party's editor adds their own organisation's files (not the agreement document, which is the
    /// lead's) and new versions of those alone.
    /// </summary>
    public static (string Field, string Message)? RefusedFile(Viewer viewer, Agreement agreement, AgreementFile? existing, FileKind kind, string leadName)
    {
        if (MayChangeEverything(viewer, agreement.LeadOrganisationId)) return null;
        var own = ContributesFor(viewer, agreement.Parties.Select(p => p.OrganisationId));
        if (existing is not null && (existing.ContributedByOrganisationId is not int by || !own.Contains(by)))
            return ("file", $"Only editors of {(existing.ContributedByOrganisationId is null ? leadName : "the organisation that added it")}, or a framework administrator, can upload a new version of this file");
        if (existing is null && kind == FileKind.Agreement)
            return ("kind", $"Only editors of {leadName}, which leads this agreement, or a framework administrator can add the agreement document. Add your organisation's own documents as a DPIA, privacy notice, signature sheet or appendix");
        return own.Length == 0 ? ("file", "You can add files only for an organisation that is party to this agreement") : null;
    }

    /// <summary>The organisation a new file is added for: null for the lead's own documents, else the viewer's party organisation.</summary>
    public static int? ContributorFor(Viewer viewer, Agreement agreement) =>
        MayChangeEverything(viewer, agreement.LeadOrganisationId) ? null
        : ContributesFor(viewer, agreement.Parties.Select(p => p.OrganisationId)).Cast<int?>().FirstOrDefault();

    /// <summary>The record as an input, with lists in a stable order, for comparing a change with what is stored.</summary>
    public static AgreementInput ForComparison(Agreement agreement)
    {
        var input = agreement.ToInput();
        // The navigation can lag behind the key while a change is applied; the key is the truth.
        input.Supersedes = agreement.SupersedesId?.ToString();
        return input;
    }


    /// <summary>The same rule as <see cref="VisibleTo(IQueryable{FileVersion}, Viewer)"/> for an agreement already loaded with its parties.</summary>
    public static bool MaySeeFile(Viewer viewer, Agreement agreement, AgreementFile file) => MaySeeFileOf(viewer, agreement, file.Visibility);

    /// <summary>Whether the person may read a file of this visibility (null: as the agreement) on an agreement they can see.</summary>
    public static bool MaySeeFileOf(Viewer viewer, Agreement agreement, Visibility? fileVisibility) =>
        viewer.IsFrameworkAdministrator || fileVisibility is null or Visibility.Public
        || (fileVisibility == Visibility.Partners && viewer.IsPartner)
        || IsPartyMember(viewer, agreement);

    static bool IsPartyMember(Viewer viewer, Agreement agreement) =>
        viewer.OrganisationIds.Contains(agreement.LeadOrganisationId) || agreement.Parties.Any(p => viewer.OrganisationIds.Contains(p.OrganisationId));

    static Expression<Func<Agreement, bool>> SeenBy(Viewer viewer)
    {
        if (viewer.IsFrameworkAdministrator) return a => true;
        var member = viewer.OrganisationIds;
        var partner = viewer.IsPartner;
        var editorOf = viewer.OrganisationsWhere(OrganisationRole.Editor);
        return a => a.PublishedAt != null
            ? a.Visibility == Visibility.Public || (partner && a.Visibility == Visibility.Partners)
              || member.Contains(a.LeadOrganisationId) || a.Parties.Any(p => member.Contains(p.OrganisationId))
            : editorOf.Contains(a.LeadOrganisationId)
              || (a.Status == AgreementStatus.AwaitingSignature && a.Parties.Any(p => member.Contains(p.OrganisationId)));
    }

    static Expression<Func<AgreementFile, bool>> FileSeenBy(Viewer viewer)
    {
        if (viewer.IsFrameworkAdministrator) return f => true;
        var member = viewer.OrganisationIds;
        var partner = viewer.IsPartner;
        return f => f.Visibility == null || f.Visibility == Visibility.Public || (partner && f.Visibility == Visibility.Partners)
            || member.Contains(f.Agreement!.LeadOrganisationId) || f.Agreement!.Parties.Any(p => member.Contains(p.OrganisationId));
    }

    /// <summary>Applies a rule about a T to whatever reaches a T from a TFrom (a version's file, a file's agreement).</summary>
    static Expression<Func<TFrom, bool>> Through<TFrom, T>(Expression<Func<TFrom, T>> path, Expression<Func<T, bool>> rule)
    {
        var body = new Substitute(rule.Parameters[0], path.Body).Visit(rule.Body);
        return Expression.Lambda<Func<TFrom, bool>>(body, path.Parameters);
    }

    sealed class Substitute(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
