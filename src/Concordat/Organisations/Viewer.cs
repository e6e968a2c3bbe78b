using System.Security.Claims;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Organisations;

/// <summary>
/// Who is asking, as far as access is concerned: the person, whether they administer the framework,
/// and their roles in each organisation. Loaded from the database once per request, so a role taken
/// away applies to the very next request, for cookies and tokens alike.
/// </summary>
public sealed class Viewer
{
    public const string FrameworkAdministratorRole = "FrameworkAdministrator";
    /// <summary>Set on the principal of an API token that may only read.</summary>
    public const string ReadOnlyClaim = "token_read_only";

    public static readonly Viewer Anonymous = new(null, null, false, false, new Dictionary<int, OrganisationRole>());

    /// <summary>The service itself acting (demo data, a command-line verb run by someone with shell access): may do anything, recorded by name.</summary>
    public static Viewer Process(string name) => new("process", name, true, false, new Dictionary<int, OrganisationRole>());

    public Viewer(string? userId, string? email, bool isFrameworkAdministrator, bool readOnly, IReadOnlyDictionary<int, OrganisationRole> roles)
    {
        UserId = userId;
        Email = email;
        IsFrameworkAdministrator = isFrameworkAdministrator;
        ReadOnly = readOnly;
        Roles = roles;
        OrganisationIds = roles.Keys.Order().ToArray();
    }

    public string? UserId { get; }
    public string? Email { get; }
    public bool IsFrameworkAdministrator { get; }
    /// <summary>A read-only API token: sees what its person sees, changes nothing.</summary>
    public bool ReadOnly { get; }
    public IReadOnlyDictionary<int, OrganisationRole> Roles { get; }
    /// <summary>Every organisation the person belongs to, in any role.</summary>
    public int[] OrganisationIds { get; }

    public bool IsSignedIn => UserId is not null;
    /// <summary>A signed-in member of a registered organisation: may read what is shared with partners.</summary>
    public bool IsPartner => IsFrameworkAdministrator || OrganisationIds.Length > 0;
    /// <summary>The name the audit trail records.</summary>
    public string Actor => Email ?? "anonymous";

    /// <summary>Organisations where the person holds the role (any membership for <see cref="OrganisationRole.Member"/>).</summary>
    public int[] OrganisationsWhere(OrganisationRole role) =>
        Roles.Where(r => role == OrganisationRole.Member || r.Value.HasFlag(role)).Select(r => r.Key).Order().ToArray();

    /// <summary>Whether the person may act in the role for the organisation; framework administrators may everywhere.</summary>
    public bool Has(int organisationId, OrganisationRole role) =>
        IsFrameworkAdministrator || (Roles.TryGetValue(organisationId, out var held) && (role == OrganisationRole.Member || held.HasFlag(role)));

    /// <summary>Framework administrators and organisation administrators must use two-step sign-in.</summary>
    public bool MustUseTwoStep => IsFrameworkAdministrator || Roles.Values.Any(r => r.HasFlag(OrganisationRole.Administrator));

    /// <summary>The same, for a person not yet signed in (the token endpoint checks it after the password).</summary>
    public static async Task<bool> MustUseTwoStepAsync(ConcordatDb db, string userId, bool isFrameworkAdministrator, CancellationToken ct) =>
        isFrameworkAdministrator
        || (await db.Memberships.AsNoTracking().Where(m => m.UserId == userId).Select(m => m.Roles).ToListAsync(ct)).Any(r => r.HasFlag(OrganisationRole.Administrator));

    /// <summary>Whether the person may change anything at all (not signed out, not a read-only token).</summary>
    public bool MayChange => IsSignedIn && !ReadOnly;

    public static async Task<Viewer> LoadAsync(ClaimsPrincipal user, ConcordatDb db, CancellationToken ct)
    {
        var id = user.FindFirstValue(ClaimTypes.NameIdentifier);
        if (user.Identity?.IsAuthenticated != true || id is null) return Anonymous;
        var roles = await db.Memberships.AsNoTracking().Where(m => m.UserId == id)
            .ToDictionaryAsync(m => m.OrganisationId, m => m.Roles, ct);
        return new Viewer(id, user.Identity.Name, user.IsInRole(FrameworkAdministratorRole), user.HasClaim(ReadOnlyClaim, "true"), roles);
    }
}

/// <summary>Works out the viewer once, after authentication, for everything later in the request.</summary>
public sealed class ViewerMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, ConcordatDb db)
    {
        http.Features.Set(await Viewer.LoadAsync(http.User, db, http.RequestAborted));
        await next(http);
    }
}

public static class ViewerSetup
{
    public static IServiceCollection AddViewer(this IServiceCollection services) =>
        services.AddHttpContextAccessor()
            .AddScoped(sp => sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.Features.Get<Viewer>() ?? Viewer.Anonymous);

    public static IApplicationBuilder UseViewer(this IApplicationBuilder app) => app.UseMiddleware<ViewerMiddleware>();
}
