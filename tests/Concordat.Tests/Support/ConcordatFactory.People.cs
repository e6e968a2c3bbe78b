using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Support;

/// <summary>People of the region's organisations, for tests about who may see and do what.</summary>
public partial class ConcordatFactory
{
    public const string PersonPassword = "correct horse battery staple";

    /// <summary>
    /// An account with a membership, made directly as the set-up of a test (the invitation journey has
    /// its own tests). With a key, the person has two-step sign-in on.
    /// </summary>
    public async Task AddPersonAsync(string email, string organisation, OrganisationRole roles = OrganisationRole.Member, string? twoStepKey = null)
    {
        var organisationId = await OrganisationIdAsync(organisation);
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            var created = await users.CreateAsync(user, PersonPassword);
            Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        }
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        db.Memberships.Add(new Membership { UserId = user.Id, OrganisationId = organisationId, Roles = roles, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        if (twoStepKey is not null) await EnrolInTwoStepAsync(Services, email, twoStepKey);
    }

    /// <summary>An account that belongs to no organisation: signed in, but not a partner.</summary>
    public async Task AddAccountWithoutOrganisationAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var created = await users.CreateAsync(new() { UserName = email, Email = email, EmailConfirmed = true }, PersonPassword);
        Assert.True(created.Succeeded);
    }

    /// <summary>A cookie client signed in through the pages, passing the second step when the person has a key.</summary>
    /// <summary>A second framework administrator (approvals need two), signed in with their two-step key.</summary>
    public async Task<HttpClient> FrameworkApproverAsync(string email, string twoStepKey)
    {
        await AddPersonAsync(email, "Greater London Authority", OrganisationRole.Member, twoStepKey);
        await using (var scope = Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            if (!await users.IsInRoleAsync(user, Concordat.Accounts.AccountSetup.FrameworkAdministrator))
                await users.AddToRoleAsync(user, Concordat.Accounts.AccountSetup.FrameworkAdministrator);
        }
        return await SignInAsync(email, twoStepKey);
    }

    public async Task<HttpClient> SignInAsync(string email, string? twoStepKey = null, string password = PersonPassword)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        var response = await client.SubmitAsync("/sign-in", [new("Email", email), new("Password", password)]);
        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        if (response.Headers.Location!.OriginalString.StartsWith("/sign-in/two-step"))
        {
            Assert.NotNull(twoStepKey);
            response = await client.SubmitAsync("/sign-in/two-step", [new("Code", CodeFor(twoStepKey!))]);
            Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        }
        return client;
    }

    /// <summary>An API client with a personal token of the person.</summary>
    public async Task<HttpClient> PersonApiAsync(string email, string? twoStepKey = null, bool readOnly = false)
    {
        using var anonymous = CreateClient();
        var response = await anonymous.PostAsJsonAsync("/api/v1/tokens",
            new { email, password = PersonPassword, totp = twoStepKey is null ? null : CodeFor(twoStepKey), readOnly });
        Assert.True(response.IsSuccessStatusCode, $"token for {email}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
