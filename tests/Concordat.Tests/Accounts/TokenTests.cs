using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Accounts;
using Concordat.Data;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Accounts;

public sealed class TokenTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task A_token_is_issued_for_the_right_password_and_stored_only_as_a_hash()
    {
        var token = await app.CreateTokenAsync(ConcordatFactory.AdminEmail, ConcordatFactory.AdminPassword);

        Assert.StartsWith("cdt_", token);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var stored = await db.ApiTokens.ToListAsync();
        Assert.DoesNotContain(stored, t => t.Hash == token || t.Hash.Contains(token[4..20]));
        Assert.Contains(stored, t => t.Hash == ApiToken.HashOf(token));
    }

    [Fact]
    public async Task A_wrong_password_or_unknown_email_gets_the_same_401_problem()
    {
        using var client = app.CreateClient();
        var wrong = await client.PostAsJsonAsync("/api/v1/tokens", new { email = ConcordatFactory.AdminEmail, password = "not the password" });
        var unknown = await client.PostAsJsonAsync("/api/v1/tokens", new { email = "nobody@example.org", password = "whatever it is" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal((await wrong.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.ToString(), (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.ToString());
    }

    [Fact]
    public async Task A_missing_email_is_a_field_error()
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/tokens", new { password = "x" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("email"));
    }

    [Fact]
    public async Task A_revoked_token_no_longer_works()
    {
        var token = await app.CreateTokenAsync(ConcordatFactory.AdminEmail, ConcordatFactory.AdminPassword);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var lfb = await app.OrganisationIdAsync("London Fire Brigade");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/agreements", new { title = "With token", leadOrganisationId = lfb })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/tokens/current")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/agreements", new { title = "After revoke", leadOrganisationId = lfb })).StatusCode);
        // Nothing was made, and the attempt is on the trail in the owner's name.
        var events = await new Audit.AuditProbe(app).EventsAsync($"person:{ConcordatFactory.AdminEmail}");
        Assert.Contains(events, e => e.Action == "token.refused" && e.Details.Contains("\"reason\":\"revoked\""));
        using var admin = await app.AdminApiAsync();
        Assert.DoesNotContain("After revoke", await admin.GetStringAsync("/api/v1/agreements?pageSize=100"));
    }

    public static TheoryData<string> TokensNotAccepted => ["revoked", "expired", "unknown", "malformed"];

    /// <summary>Read routes included: a client whose token was revoked must learn it, not go on reading as anonymous.</summary>
    [Theory]
    [MemberData(nameof(TokensNotAccepted))]
    public async Task A_token_that_is_not_accepted_gets_401_on_every_api_route(string kind)
    {
        var token = kind switch
        {
            "unknown" => "cdt_" + new string('x', 43),
            "malformed" => "not-a-concordat-token",
            _ => await app.CreateTokenAsync(ConcordatFactory.AdminEmail, ConcordatFactory.AdminPassword),
        };
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (kind == "revoked") Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/tokens/current")).StatusCode);
        if (kind == "expired")
            await app.InDatabaseAsync(db => db.ApiTokens.Where(t => t.Hash == ApiToken.HashOf(token))
                .ExecuteUpdateAsync(u => u.SetProperty(t => t.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

        var routes = app.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.TrimStart('/').StartsWith("api/") && e.RoutePattern.RawText != "/api/v1/tokens")
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods.Select(m => (Method: m, Path:
                "/" + System.Text.RegularExpressions.Regex.Replace(e.RoutePattern.RawText!.TrimStart('/').Replace("{format}", "csv"), "{[^}]+}", "1"))))
            .ToList();
        Assert.True(routes.Count > 10, "the API's routes were not found");
        var wrong = new List<string>();
        foreach (var (method, path) in routes)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "POST" or "PUT" ? JsonContent.Create(new { }) : null };
            var response = await client.SendAsync(request);
            var challenge = response.Headers.WwwAuthenticate.ToString();
            if (response.StatusCode != HttpStatusCode.Unauthorized || !challenge.StartsWith("Bearer") || !challenge.Contains("invalid_token")
                || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                wrong.Add($"{method} {path}: {(int)response.StatusCode} {challenge}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));

        // A client still sending its refused token can get a new one with its password.
        var renewed = await client.PostAsJsonAsync("/api/v1/tokens", new { email = ConcordatFactory.AdminEmail, password = ConcordatFactory.AdminPassword, totp = ConcordatFactory.AdminCode() });
        Assert.Equal(HttpStatusCode.Created, renewed.StatusCode);
    }

    [Fact]
    public async Task A_made_up_token_is_refused()
    {
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "cdt_made-up-token-value");
        var response = await client.PostAsJsonAsync("/api/v1/agreements", new { title = "x" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(await new Audit.AuditProbe(app).EventsAsync("token:unknown"), e => e.Action == "token.refused");
    }

    [Fact]
    public async Task A_person_creates_and_revokes_tokens_on_their_account_page()
    {
        var client = await app.SignedInClientAsync();
        var created = await client.SubmitAsync("/account/tokens", [new("Name", "City data store"), new("ReadOnly", "true")], "form[action$='handler=Create']");
        var page = created.ParseBody();
        var secret = page.QuerySelector("#new-token")!.TextContent.Trim();
        Assert.StartsWith("cdt_", secret);
        Assert.Contains("City data store", page.QuerySelector("table")!.TextContent);
        Assert.Contains("Read only", page.QuerySelector("table")!.TextContent);
        using (var reader = app.CreateClient())
        {
            reader.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
            Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/agreements", new { title = "x" })).StatusCode);
        }

        var revoked = await client.SubmitAsync("/account/tokens", [], "form[action*='handler=Revoke']");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.DeleteAsync("/api/v1/tokens/current")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_on_the_sign_in_page_shows_an_error_summary()
    {
        using var client = app.CreateClient();
        var response = await client.SubmitAsync("/sign-in", [new("Email", ConcordatFactory.AdminEmail), new("Password", "wrong password here")]);
        Assert.Contains("Email address or password is not right", response.ParseBody().ErrorSummary());
    }
}
