using System.Security.Claims;
using System.Text.Encodings.Web;
using Concordat.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Concordat.Accounts;

/// <summary>Authenticates API calls carrying "Authorization: Bearer cdt_…" against the hashed tokens.</summary>
public sealed class BearerTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ConcordatDb db, IUserClaimsPrincipalFactory<IdentityUser> principals, UserManager<IdentityUser> users, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public new const string Scheme = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(ApiToken.TokenPrefix, StringComparison.Ordinal) || token.Length > 100)
            return AuthenticateResult.Fail("The token is not one this register issues");

        var hash = ApiToken.HashOf(token);
        var now = clock.GetUtcNow();
        var stored = await db.ApiTokens.SingleOrDefaultAsync(t => t.Hash == hash, Context.RequestAborted);
        if (stored is null || !stored.IsUsable(now))
        {
            // A revoked or expired token still in use is worth knowing about: a forgotten script, or a leak.
            var owner = stored is null ? null : await users.FindByIdAsync(stored.UserId);
            Audit.AuditTrail.Record(db, owner?.Email ?? "anonymous", "token.refused", stored is null ? "token:unknown" : $"person:{owner?.Email}",
                new { reason = stored is null ? "unknown" : stored.RevokedAt is not null ? "revoked" : "expired", prefix = stored?.Prefix, path = Request.Path.Value }, clock);
            await db.SaveChangesAsync(Context.RequestAborted);
            return AuthenticateResult.Fail("The token is unknown, expired or revoked");
        }

        var user = await users.FindByIdAsync(stored.UserId);
        if (user is null || await users.IsLockedOutAsync(user)) return AuthenticateResult.Fail("The account the token belongs to is locked or removed");

        // Record use at most once a minute so reads do not turn into writes.
        if (stored.LastUsedAt is null || now - stored.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            stored.LastUsedAt = now;
            await db.SaveChangesAsync(Context.RequestAborted);
        }

        var principal = await principals.CreateAsync(user);
        ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("token_id", stored.Id.ToString()));
        if (stored.ReadOnly) ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(ApiToken.ReadOnlyClaim, "true"));
        var identity = new ClaimsIdentity(principal.Claims, Scheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}

/// <summary>
/// An API request carrying a bearer token the register does not accept (unknown, revoked, expired, malformed, or its
/// account locked) is refused with 401 on every route, reading ones included. Served as anonymous instead, a client whose
/// token was revoked would go on reading public data and never learn that it had lost its access.
/// </summary>
public sealed class InvalidTokenRefusal(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        // The handler's result is kept for the request: this reads it again, it does not check the token twice.
        // Asking for a new token with a password is the way out of a refused one, so that route is not refused for it.
        if (http.Request.Path.StartsWithSegments("/api") && !(HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals("/api/v1/tokens"))
            && (await http.AuthenticateAsync(BearerTokenHandler.Scheme)).Failure is { } failure)
        {
            http.Response.Headers.WWWAuthenticate = $"Bearer error=\"invalid_token\", error_description=\"{failure.Message}\"";
            await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The API token is not accepted",
                detail: $"{failure.Message}. Create a new token (POST /api/v1/tokens, or on your account page) and send it as 'Authorization: Bearer <token>'.")
                .ExecuteAsync(http);
            return;
        }
        await next(http);
    }
}
