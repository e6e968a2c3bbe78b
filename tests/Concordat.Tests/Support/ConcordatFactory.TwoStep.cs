using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OtpNet;

namespace Concordat.Tests.Support;

/// <summary>
/// Framework administrators must use two-step sign-in, so the administrator is enrolled as soon as the
/// app has started, with a key the tests know; <see cref="HtmlPages.SignedInClientAsync"/> and
/// <see cref="AdminApiAsync"/> pass the second step with <see cref="AdminCode"/>. Identity accepts a
/// code again within its window (it keeps no record of used codes), so tests may sign in often.
/// </summary>
public partial class ConcordatFactory
{
    /// <summary>The administrator's authenticator key, in Base32 as Identity stores it.</summary>
    public const string AdminAuthenticatorKey = "CONCORDATTESTADMINKEY234567ABCDE";

    /// <summary>The code the administrator's authenticator app shows now.</summary>
    public static string AdminCode() => CodeFor(AdminAuthenticatorKey);

    /// <summary>The code an app shows now for a key, as Identity stores it or as the setup page shows it (grouped, lower case).</summary>
    public static string CodeFor(string key) =>
        new Totp(Base32Encoding.ToBytes(key.Replace(" ", "").ToUpperInvariant())).ComputeTotp();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        EnrolInTwoStepAsync(host.Services, AdminEmail, AdminAuthenticatorKey).GetAwaiter().GetResult();
        return host;
    }

    /// <summary>Turns on two-step sign-in for a person with the given key, as if they had set up their app.</summary>
    public static async Task EnrolInTwoStepAsync(IServiceProvider services, string email, string key)
    {
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var store = (IUserAuthenticatorKeyStore<IdentityUser>)scope.ServiceProvider.GetRequiredService<IUserStore<IdentityUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No account {email}");
        await store.SetAuthenticatorKeyAsync(user, key, CancellationToken.None);
        // Saves the key with the flag.
        var enabled = await users.SetTwoFactorEnabledAsync(user, true);
        if (!enabled.Succeeded) throw new InvalidOperationException(string.Join("; ", enabled.Errors.Select(e => e.Description)));
    }
}
