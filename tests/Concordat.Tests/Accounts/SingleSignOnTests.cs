using System.Security.Claims;
using Concordat.Accounts.People;
using Concordat.Accounts.SingleSignOn;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Accounts;

/// <summary>
/// How an identity from the single sign-on provider is matched to a person, over the real database.
/// (The OpenID Connect exchange itself is the framework's handler; no provider runs in these tests.)
/// </summary>
public sealed class SingleSignOnTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    static ExternalLoginInfo Login(string subject, string? email, bool verified) =>
        new(new ClaimsPrincipal(new ClaimsIdentity(new[] { new Claim("sub", subject) }
            .Concat(email is null ? [] : [new Claim("email", email)])
            .Concat(verified ? [new Claim("email_verified", "true")] : []), "oidc")), "oidc", subject, "Entra ID");

    async Task<(IdentityUser? User, string? Refusal)> MatchAsync(ExternalLoginInfo login, bool trustEmail = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var options = new SingleSignOnOptions { Authority = "https://login.example/tenant/v2.0", ClientId = "concordat", DisplayName = "Entra ID", TrustEmail = trustEmail };
        return await ActivatorUtilities.CreateInstance<ExternalAccounts>(scope.ServiceProvider, options).MatchAsync(login, CancellationToken.None);
    }

    [Fact]
    public async Task A_verified_email_of_an_existing_person_links_their_account_and_later_the_link_alone_is_enough()
    {
        await app.AddPersonAsync("linked@camden.example", "London Borough of Camden");
        var (user, refusal) = await MatchAsync(Login("subject-1", "linked@camden.example", verified: true));
        Assert.Null(refusal);
        Assert.Equal("linked@camden.example", user!.Email);

        // Next time the provider may send another address: the linked subject still finds the person.
        var (again, _) = await MatchAsync(Login("subject-1", "renamed@camden.example", verified: false));
        Assert.Equal(user.Id, again!.Id);
    }

    [Fact]
    public async Task An_unverified_email_is_not_matched_unless_the_provider_is_trusted_for_addresses()
    {
        await app.AddPersonAsync("careful@camden.example", "London Borough of Camden");
        var (user, refusal) = await MatchAsync(Login("subject-2", "careful@camden.example", verified: false));
        Assert.Null(user);
        Assert.Contains("did not confirm that careful@camden.example is yours", refusal);

        var (trusted, _) = await MatchAsync(Login("subject-2", "careful@camden.example", verified: false), trustEmail: true);
        Assert.Equal("careful@camden.example", trusted!.Email);
    }

    [Fact]
    public async Task An_invited_person_arriving_by_single_sign_on_joins_without_a_password()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var people = scope.ServiceProvider.GetRequiredService<PeopleCommands>();
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            var camden = await db.Organisations.SingleAsync(o => o.Name == "London Borough of Camden");
            var (_, errors) = await people.InviteAsync(Viewer.Process("test"), camden, "Sso.Invitee@camden.example", OrganisationRole.Editor, "https://concordat.example", CancellationToken.None);
            Assert.Empty(errors);
        }
        // The provider may spell the address with capitals; it is the same address.
        var (user, refusal) = await MatchAsync(Login("subject-3", "SSO.Invitee@Camden.example", verified: true));
        Assert.Null(refusal);

        await using var check = app.Services.CreateAsyncScope();
        var database = check.ServiceProvider.GetRequiredService<ConcordatDb>();
        var membership = await database.Memberships.Include(m => m.Organisation).SingleAsync(m => m.UserId == user!.Id);
        Assert.Equal(("London Borough of Camden", OrganisationRole.Editor), (membership.Organisation!.Name, membership.Roles));
        Assert.Null(user!.PasswordHash);
        Assert.True(await database.Invitations.AnyAsync(i => i.Email == "sso.invitee@camden.example" && i.AcceptedAt != null));
        Assert.True(await database.AuditEvents.AnyAsync(e => e.Action == "sign-in.linked" && e.Subject == "person:sso.invitee@camden.example"));
    }

    [Fact]
    public async Task Someone_the_provider_knows_but_nobody_invited_is_refused()
    {
        var (user, refusal) = await MatchAsync(Login("subject-4", "stranger@elsewhere.example", verified: true));
        Assert.Null(user);
        Assert.Contains("no Concordat account or invitation for stranger@elsewhere.example", refusal);
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<ConcordatDb>().Users.AnyAsync(u => u.Email == "stranger@elsewhere.example"));
    }

    [Fact]
    public async Task Without_a_provider_configured_the_sign_in_page_offers_only_passwords_and_the_route_is_not_found()
    {
        using var client = app.CreateClient(new() { AllowAutoRedirect = false });
        var page = await client.GetPageAsync("/sign-in");
        Assert.DoesNotContain("organisation's account", page.Body!.TextContent);
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await client.PostAsync("/sign-in/external", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }
}

/// <summary>The app with single sign-on pointed at a provider running inside the test.</summary>
public sealed class SingleSignOnApp : ConcordatFactory
{
    public OidcTestProvider Provider { get; } = new();
    protected override IDictionary<string, string?> Settings => Provider.Settings;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}

/// <summary>Single sign-on end to end: the button, the provider's round trip, the code exchange, the signed ID token.</summary>
public sealed class SingleSignOnJourneyTests(SingleSignOnApp app) : IClassFixture<SingleSignOnApp>
{
    /// <summary>A browser-like client on HTTPS (the provider's correlation cookies are Secure) that follows no redirects.</summary>
    HttpClient Browser() => app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });

    /// <summary>Presses "Sign in with Test ID" and follows the redirects through the provider and back, returning the last answer.</summary>
    async Task<HttpResponseMessage> SignInThroughProviderAsync(HttpClient browser)
    {
        var page = await browser.GetPageAsync("/sign-in");
        Assert.NotNull(page.QuerySelector("form[action='/sign-in/external']"));
        var response = await browser.SubmitAsync("/sign-in", [new("ReturnUrl", "/account")], "form[action='/sign-in/external']");
        using var outside = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        for (var hops = 0; hops < 6 && response.StatusCode == System.Net.HttpStatusCode.Redirect; hops++)
        {
            var location = response.Headers.Location!;
            var absolute = location.IsAbsoluteUri ? location : new Uri(new Uri("https://localhost"), location);
            response = absolute.Host == "localhost" ? await browser.GetAsync(absolute) : await outside.GetAsync(absolute);
        }
        return response;
    }

    [Fact]
    public async Task An_invited_person_signs_in_with_their_organisations_account_and_lands_signed_in()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            var camden = await db.Organisations.SingleAsync(o => o.Name == "London Borough of Camden");
            var (_, errors) = await scope.ServiceProvider.GetRequiredService<PeopleCommands>()
                .InviteAsync(Viewer.Process("test"), camden, "entra.user@camden.example", OrganisationRole.Editor, "https://localhost", CancellationToken.None);
            Assert.Empty(errors);
        }
        app.Provider.NextPerson = new("entra-subject-1", "entra.user@camden.example", EmailVerified: true);
        using var browser = Browser();

        var landed = await SignInThroughProviderAsync(browser);

        Assert.Equal(System.Net.HttpStatusCode.OK, landed.StatusCode);
        var account = landed.ParseBody();
        Assert.Equal("Your account", account.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("entra.user@camden.example", account.Body!.TextContent);
        Assert.Contains("London Borough of Camden", account.Body.TextContent);
        await using var check = app.Services.CreateAsyncScope();
        var events = check.ServiceProvider.GetRequiredService<ConcordatDb>().AuditEvents.Where(e => e.Subject == "person:entra.user@camden.example").OrderBy(e => e.Id).Select(e => e.Action).ToList();
        Assert.Contains("invitation.accepted", events);
        Assert.Contains("sign-in.linked", events);
        Assert.Contains("sign-in.succeeded", events);
    }

    [Fact]
    public async Task Someone_the_provider_vouches_for_but_nobody_invited_is_turned_away()
    {
        app.Provider.NextPerson = new("entra-subject-2", "uninvited@elsewhere.example", EmailVerified: true);
        using var browser = Browser();

        var landed = await SignInThroughProviderAsync(browser);

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, landed.StatusCode);
        Assert.Contains("no Concordat account or invitation for uninvited@elsewhere.example", await landed.Content.ReadAsStringAsync());
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await browser.GetAsync("/account")).StatusCode); // not signed in
    }
}
