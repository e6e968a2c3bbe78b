using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

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
/// The per-address limit is the rate limiter's policy on those endpoints; the per-account one is taken by each handler once
/// it knows which account is tried (<see cref="AccountAttempts"/>). Both are counted on each node.
/// </summary>
public static class SignInRateLimit
{
    public const string Policy = "password-attempts";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perAddress = configuration.GetValue("Concordat:RateLimit:PasswordAttemptsPerAddressPerMinute", 100);
        services.AddSingleton(new AccountAttempts(configuration.GetValue("Concordat:RateLimit:PasswordAttemptsPerMinute", 10)));
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(Policy, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => PerMinute(perAddress))
                : RateLimitPartition.GetNoLimiter("reading"));
        });
    }

    internal static FixedWindowRateLimiterOptions PerMinute(int permits) =>
        new() { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 };
}

/// <summary>The per-account half of <see cref="SignInRateLimit"/>: attempts naming one account, from anywhere, in a minute.</summary>
public sealed class AccountAttempts(int perMinute) : IDisposable
{
    readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(
        account => RateLimitPartition.GetFixedWindowLimiter(account, _ => SignInRateLimit.PerMinute(perMinute)));

    /// <summary>Counts an attempt on the account (an email address, or a user id after the password); false when there have been too many.</summary>
    public bool TryAttempt(string account)
    {
        using var lease = _limiter.AttemptAcquire(account.Trim().ToUpperInvariant());
        return lease.IsAcquired;
    }

    /// <summary>What a page answers when the account has had too many attempts (the error page says to wait a minute).</summary>
    public static Microsoft.AspNetCore.Mvc.IActionResult Refused(HttpResponse response)
    {
        response.Headers.RetryAfter = "60";
        return new Microsoft.AspNetCore.Mvc.StatusCodeResult(StatusCodes.Status429TooManyRequests);
    }

    public void Dispose() => _limiter.Dispose();
}
