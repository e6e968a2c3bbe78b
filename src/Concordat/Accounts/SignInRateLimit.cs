using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Concordat.Accounts;

/// <summary>
/// Password attempts (the sign-in form and POST /api/v1/tokens) are limited per client address, on top
/// of the per-account lockout, so one address cannot try passwords across many accounts quickly.
/// </summary>
public static class SignInRateLimit
{
    public const string Policy = "password-attempts";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Concordat:RateLimit:PasswordAttemptsPerMinute", 10);
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return ValueTask.CompletedTask;
            };
            o.AddPolicy(Policy, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("reading"));
        });
    }
}
