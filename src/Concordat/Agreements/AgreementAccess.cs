using System.Security.Claims;

namespace Concordat.Agreements;

/// <summary>
/// The one place that decides who sees which agreements; pages, downloads and the API all query
/// through it. Until partner roles arrive, a published record is public and a draft is seen only by
/// signed-in users. The visibility field is already recorded so the next step only changes this file.
/// </summary>
public static class AgreementAccess
{
    public static IQueryable<Agreement> VisibleTo(this IQueryable<Agreement> agreements, ClaimsPrincipal user) =>
        IsSignedIn(user) ? agreements : agreements.Where(a => a.PublishedAt != null);

    public static IQueryable<FileVersion> VisibleTo(this IQueryable<FileVersion> versions, ClaimsPrincipal user) =>
        IsSignedIn(user) ? versions : versions.Where(v => v.File!.Agreement!.PublishedAt != null);

    public static bool CanEdit(ClaimsPrincipal user) => IsSignedIn(user);

    static bool IsSignedIn(ClaimsPrincipal user) => user.Identity?.IsAuthenticated == true;
}
