using System.Security.Claims;
using Concordat.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Accounts;

/// <param name="Totp">The 6-digit code from the person's authenticator app, if they have two-step sign-in on.</param>
public sealed record TokenRequest(string? Email, string? Password, string? Name, int? ExpiresInDays, bool? ReadOnly, string? Totp = null);
public sealed record TokenCreated(int Id, string Token, DateTimeOffset ExpiresAt, bool ReadOnly);

public static class TokenEndpoints
{
    public const int DefaultLifetimeDays = 90;
    public const int MaxLifetimeDays = 366;

    public static RouteGroupBuilder MapTokenEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/tokens", CreateAsync).WithName("CreateToken").AllowAnonymous().WithMetadata(new LimitPasswordAttemptsAttribute())
            .WithSummary("Exchange an email and password (and a code from an authenticator app) for a personal API token")
            .WithDescription("The token is shown once; only its hash is stored. Send it as 'Authorization: Bearer <token>'. " +
                "A person with two-step sign-in on also sends 'totp', the code their app shows. Administrators must have two-step sign-in on, " +
                "or create a token on the server with the command line: concordat token create --email <email>.");
        api.MapDelete("/tokens/current", RevokeCurrentAsync).WithName("RevokeCurrentToken").RequireAuthorization()
            .WithSummary("Revoke the token this request is made with");
        return api;
    }

    static async Task<Results<Created<TokenCreated>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        TokenRequest request, SignInManager<IdentityUser> signIn, PasswordAttempts attempts, HttpResponse response, ConcordatDb db, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email)) errors["email"] = ["Enter your email address"];
        if (string.IsNullOrEmpty(request.Password)) errors["password"] = ["Enter your password"];
        if (request.ExpiresInDays is < 1 or > MaxLifetimeDays) errors["expiresInDays"] = [$"A token lasts between 1 and {MaxLifetimeDays} days"];
        if (request.Name is { Length: > 100 }) errors["name"] = ["Token name must be 100 characters or fewer"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var email = request.Email!.Trim();
        if (!await attempts.TryAccountAsync(email, response.HttpContext.RequestAborted))
        {
            response.Headers.RetryAfter = "60";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts",
                detail: "This account has had too many sign-in attempts in the last minute. Wait a minute, then try again.");
        }
        var user = await signIn.UserManager.FindByEmailAsync(email);
        var check = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            SignInAudit.Record(db, email, check, "api", clock);
            await db.SaveChangesAsync();
            return check.IsLockedOut ? LockedOut() : Denied();
        }
        if (await SecondStepAsync(request.Totp, user!, email, signIn.UserManager, db, clock) is { } refused)
            return refused;

        var (token, secret) = Issue(user!.Id, request.Name ?? "API token", TimeSpan.FromDays(request.ExpiresInDays ?? DefaultLifetimeDays), clock, request.ReadOnly ?? false);
        await SaveIssuedAsync(db, token, user.Email ?? email, user.Email ?? email, "api", clock);
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new TokenCreated(token.Id, secret, token.ExpiresAt, token.ReadOnly));
    }

    /// <summary>
    /// After a right password: the authenticator code of a person with two-step sign-in on (a wrong one
    /// counts toward lockout, and is answered as a wrong password is), and two-step sign-in itself for
    /// administrators. Null when the token may be issued.
    /// </summary>
    static async Task<Results<Created<TokenCreated>, ValidationProblem, ProblemHttpResult>?> SecondStepAsync(
        string? totp, IdentityUser user, string email, UserManager<IdentityUser> users, ConcordatDb db, TimeProvider clock)
    {
        if (!await users.GetTwoFactorEnabledAsync(user))
        {
            if (!await Organisations.Viewer.MustUseTwoStepAsync(db, user.Id, await users.IsInRoleAsync(user, AccountSetup.FrameworkAdministrator), CancellationToken.None))
                return null;
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Administrators must use two-step sign-in",
                detail: "Turn on two-step sign-in at /account/two-step, then send the code from your authenticator app as 'totp'. " +
                    "Or, with access to the server, create a token with the command line: concordat token create --email <email>.");
        }

        var code = TwoStep.Authenticator.Normalise(totp);
        if (code.Length == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["totp"] = ["Enter the code from your authenticator app"] });
        if (await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            await users.ResetAccessFailedCountAsync(user);
            return null;
        }

        await users.AccessFailedAsync(user);
        var lockedOut = await users.IsLockedOutAsync(user);
        SignInAudit.Record(db, email, lockedOut ? Microsoft.AspNetCore.Identity.SignInResult.LockedOut : Microsoft.AspNetCore.Identity.SignInResult.Failed, "api two-step", clock);
        await db.SaveChangesAsync();
        return lockedOut ? LockedOut() : Denied();
    }

    /// <summary>The same answer for an unknown email, a wrong password and a wrong code, so accounts cannot be discovered.</summary>
    static ProblemHttpResult Denied() => TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Email or password not recognised");

    static ProblemHttpResult LockedOut() =>
        TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed attempts; the account is locked for a while");

    static async Task<NoContent> RevokeCurrentAsync(ClaimsPrincipal user, ConcordatDb db, TimeProvider clock)
    {
        if (int.TryParse(user.FindFirstValue("token_id"), out var id))
            await RevokeAsync(db, id, user.FindFirstValue(ClaimTypes.NameIdentifier)!, Audit.AuditTrail.ActorOf(user), clock);
        return TypedResults.NoContent();
    }

    /// <summary>Stores a newly issued token with its audit event, in one save.</summary>
    public static async Task SaveIssuedAsync(ConcordatDb db, ApiToken token, string owner, string actor, string via, TimeProvider clock)
    {
        db.ApiTokens.Add(token);
        Audit.AuditTrail.Record(db, actor, "token.created", $"person:{owner}", new { token.Name, token.Prefix, token.ReadOnly, token.ExpiresAt, via }, clock);
        await db.SaveChangesAsync();
    }

    /// <summary>Revokes one of a person's tokens, if it is theirs and still live.</summary>
    public static async Task RevokeAsync(ConcordatDb db, int tokenId, string userId, string actor, TimeProvider clock)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null);
        if (token is null) return;
        token.RevokedAt = clock.GetUtcNow();
        Audit.AuditTrail.Record(db, actor, "token.revoked", $"person:{actor}", new { tokenId = token.Id, token.Name, token.Prefix }, clock);
        await db.SaveChangesAsync();
    }

    public static (ApiToken Token, string Secret) Issue(string userId, string name, TimeSpan lifetime, TimeProvider clock, bool readOnly = false)
    {
        var secret = ApiToken.NewSecret();
        var now = clock.GetUtcNow();
        return (new ApiToken
        {
            UserId = userId,
            Name = name.Trim().Length == 0 ? "API token" : name.Trim(),
            Hash = ApiToken.HashOf(secret),
            Prefix = secret[..10],
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            ReadOnly = readOnly,
        }, secret);
    }
}
