using System.Linq.Expressions;
using Concordat.Organisations;

namespace Concordat.Agreements;

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
    public static bool MayPublish(Viewer viewer, Agreement agreement) => MayLeadFor(viewer, agreement.LeadOrganisationId);

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
