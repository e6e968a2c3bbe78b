using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;

namespace Concordat.Accounts.SingleSignOn;

/// <summary>
/// Optional sign-in through the organisation's own identity provider (Microsoft Entra ID, which most
/// London councils and NHS bodies use, or any OpenID Connect provider), set up entirely in configuration.
/// </summary>
public sealed class SingleSignOnOptions
{
    public const string Section = "Concordat:SingleSignOn";
    public const string Scheme = "oidc";

    /// <summary>The provider's issuer, e.g. https://login.microsoftonline.com/{tenant}/v2.0.</summary>
    public string? Authority { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>What the button says: "Sign in with {DisplayName}".</summary>
    public string DisplayName { get; set; } = "your organisation's account";
    /// <summary>
    /// Treat the provider's email claim as verified even without email_verified=true. Only for a
    /// provider whose addresses the organisation itself controls (an Entra ID work tenant).
    /// </summary>
    public bool TrustEmail { get; set; }
    /// <summary>The provider's metadata must come over HTTPS; turn off only for a provider on this machine (tests).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}

public static class SingleSignOnSetup
{
    public static IServiceCollection AddSingleSignOn(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(SingleSignOnOptions.Section).Get<SingleSignOnOptions>() ?? new();
        services.AddSingleton(options);
        services.AddScoped<ExternalAccounts>();
        if (!options.Enabled) return services;

        services.AddAuthentication().AddOpenIdConnect(SingleSignOnOptions.Scheme, options.DisplayName, o =>
        {
            o.Authority = options.Authority;
            o.ClientId = options.ClientId;
            o.ClientSecret = options.ClientSecret;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.Scope.Clear();
            foreach (var scope in new[] { "openid", "profile", "email" }) o.Scope.Add(scope);
            o.CallbackPath = "/sign-in/oidc";
            o.SignedOutCallbackPath = "/sign-out/oidc";
            // The provider's identity lands in Identity's external cookie; ExternalAccounts matches it to a person.
            o.SignInScheme = IdentityConstants.ExternalScheme;
            o.MapInboundClaims = false;
            o.GetClaimsFromUserInfoEndpoint = true;
            o.SaveTokens = false;
            o.RequireHttpsMetadata = options.RequireHttpsMetadata;
        });
        return services;
    }
}
