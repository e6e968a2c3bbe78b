using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Concordat.Tests.Support;

/// <summary>
/// A small OpenID Connect provider on a real loopback port, so single sign-on runs end to end: discovery,
/// the authorization redirect, the code exchange, a signed ID token and userinfo. It signs in whoever
/// <see cref="NextPerson"/> names, as a provider would after its own login page.
/// </summary>
public sealed class OidcTestProvider : IAsyncDisposable
{
    public const string ClientId = "concordat-tests";
    public const string ClientSecret = "a test client secret";

    readonly WebApplication _app;
    readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "test-key" };
    readonly ConcurrentDictionary<string, (Person Person, string? Nonce)> _codes = new();

    public sealed record Person(string Subject, string Email, bool EmailVerified);

    public Person NextPerson { get; set; } = new("subject", "person@example.org", true);
    public string Authority { get; } = "";

    public OidcTestProvider()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority, ["authorization_endpoint"] = $"{Authority}/authorize", ["token_endpoint"] = $"{Authority}/token",
            ["userinfo_endpoint"] = $"{Authority}/userinfo", ["jwks_uri"] = $"{Authority}/jwks",
            ["response_types_supported"] = new[] { "code" }, ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" }, ["code_challenge_methods_supported"] = new[] { "S256" },
        }));
        _app.MapGet("/jwks", () => Results.Json(new { keys = new[] { JsonWebKeyConverter.ConvertFromRSASecurityKey(_key) } }));
        _app.MapGet("/authorize", (HttpRequest request) =>
        {
            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _codes[code] = (NextPerson, request.Query["nonce"].ToString());
            return Results.Redirect($"{request.Query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(request.Query["state"]!)}");
        });
        _app.MapPost("/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret || !_codes.TryRemove(form["code"].ToString(), out var grant))
                return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
            var now = DateTime.UtcNow;
            var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = Authority, Audience = ClientId, IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(5),
                SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.RsaSha256),
                Claims = new Dictionary<string, object>
                {
                    ["sub"] = grant.Person.Subject, ["email"] = grant.Person.Email, ["email_verified"] = grant.Person.EmailVerified,
                    ["nonce"] = grant.Nonce ?? "",
                },
            });
            return Results.Json(new { access_token = $"access-{grant.Person.Subject}", token_type = "Bearer", expires_in = 300, id_token = idToken });
        });
        _app.MapGet("/userinfo", (HttpRequest request) =>
        {
            var subject = request.Headers.Authorization.ToString().Replace("Bearer access-", "");
            return Results.Json(new { sub = subject });
        });
        _app.StartAsync().GetAwaiter().GetResult();
        Authority = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>Settings that point the app at this provider.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Concordat:SingleSignOn:Authority"] = Authority,
        ["Concordat:SingleSignOn:ClientId"] = ClientId,
        ["Concordat:SingleSignOn:ClientSecret"] = ClientSecret,
        ["Concordat:SingleSignOn:DisplayName"] = "Test ID",
        ["Concordat:SingleSignOn:RequireHttpsMetadata"] = "false",
    };

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
