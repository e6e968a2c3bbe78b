using System.Net;
using System.Security.Cryptography;
using System.Text;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Concordat.Accounts;

/// <summary>
/// Password attempts (the sign-in form and its second step, password reset, invitations, POST /api/v1/tokens) are limited
/// twice, on top of Identity's lockout:
/// <list type="bullet">
/// <item>per client address, generously (<c>PasswordAttemptsPerAddressPerMinute</c>, 100): a council's officers often reach
/// the service through one proxy, and one person's typing must not lock the others out, but one machine still cannot try
/// passwords across many accounts quickly;</item>
/// <item>per account (<c>PasswordAttemptsPerMinute</c>, 10), whatever the address: an attack on one account spread over many
/// addresses is still slowed.</item>
/// </list>
/// The per-address limit is taken for every POST to an endpoint marked <see cref="LimitPasswordAttemptsAttribute"/>; the
/// per-account one by each handler once it knows which account is tried. Both are counted in the database
/// (<see cref="PasswordAttempts"/>), so they hold across every node together.
/// </summary>
public static class SignInRateLimit
{
    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services) => services.AddSingleton<PasswordAttempts>();

    /// <summary>After routing: refuses a POST to a marked endpoint with 429 once its address has had too many attempts in the last minute.</summary>
    public static IApplicationBuilder UsePasswordAttemptLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (HttpMethods.IsPost(context.Request.Method)
            && context.GetEndpoint()?.Metadata.GetMetadata<LimitPasswordAttemptsAttribute>() is not null
            && !await context.RequestServices.GetRequiredService<PasswordAttempts>().TryAddressAsync(context.Connection.RemoteIpAddress, context.RequestAborted))
        {
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests; // the status code pages say what to do
            context.Response.Headers.RetryAfter = "60";
            return;
        }
        await next(context);
    });
}

/// <summary>Marks a page or endpoint whose POSTs try a password (or a code, or a secret link): limited per address.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class LimitPasswordAttemptsAttribute : Attribute;

/// <summary>
/// Counts attempts in a sliding minute, in the database that every node shares. Each attempt is a row keyed by a SHA-256 of
/// what it counts against (an address, an account), so no address or email is stored; rows older than the minute are
/// deleted as new ones arrive. An attempt refused is not counted, so a steady stream of refused attempts does not
/// prolong the wait.
/// </summary>
public sealed class PasswordAttempts(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration)
{
    static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    int PerAddress => configuration.GetValue("Concordat:RateLimit:PasswordAttemptsPerAddressPerMinute", 100);
    int PerAccount => configuration.GetValue("Concordat:RateLimit:PasswordAttemptsPerMinute", 10);

    public Task<bool> TryAddressAsync(IPAddress? address, CancellationToken ct) => TryAsync("address:" + (address?.ToString() ?? "unknown"), PerAddress, ct);

    /// <summary>Counts an attempt on the account (an email address, or a user id after the password); false when there have been too many.</summary>
    public Task<bool> TryAccountAsync(string account, CancellationToken ct) => TryAsync("account:" + account.Trim().ToUpperInvariant(), PerAccount, ct);

    async Task<bool> TryAsync(string counted, int limit, CancellationToken ct)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(counted)));
        var now = clock.GetUtcNow();
        var since = now - Window;
        // A context of its own: the request's may hold changes its page has not saved yet.
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        await db.PasswordAttempts.Where(a => a.At <= since).ExecuteDeleteAsync(ct);
        if (await db.PasswordAttempts.CountAsync(a => a.Key == key, ct) >= limit) return false;
        db.PasswordAttempts.Add(new PasswordAttempt { Key = key, At = now });
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>What a page answers when the account has had too many attempts (the error page says to wait a minute).</summary>
    public static Microsoft.AspNetCore.Mvc.IActionResult Refused(HttpResponse response)
    {
        response.Headers.RetryAfter = "60";
        return new Microsoft.AspNetCore.Mvc.StatusCodeResult(StatusCodes.Status429TooManyRequests);
    }
}

/// <summary>One counted password attempt (<see cref="PasswordAttempts"/>).</summary>
public sealed class PasswordAttempt
{
    public long Id { get; set; }
    /// <summary>SHA-256 (hex) of what the attempt counts against, e.g. "address:192.0.2.1".</summary>
    public required string Key { get; set; }
    public DateTimeOffset At { get; set; }
}

sealed class PasswordAttemptConfiguration : IEntityTypeConfiguration<PasswordAttempt>
{
    public void Configure(EntityTypeBuilder<PasswordAttempt> e)
    {
        e.ToTable("PasswordAttempts");
        e.Property(a => a.Key).HasMaxLength(64);
        e.HasIndex(a => a.Key);
        e.HasIndex(a => a.At);
    }
}
