using System.Net;
using System.Net.Http.Json;
using Concordat.Accounts;
using Concordat.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Accounts;

public sealed class StrictRateLimitFactory : ConcordatFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Concordat:RateLimit:PasswordAttemptsPerMinute"] = "3" };
}

public sealed class RateLimitTests(StrictRateLimitFactory app) : IClassFixture<StrictRateLimitFactory>
{
    [Fact]
    public async Task Password_attempts_from_one_address_are_limited_and_answered_429()
    {
        using var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await client.PostAsJsonAsync("/api/v1/tokens", new { email = $"someone{i}@example.org", password = "guessing a password" })).StatusCode);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        // Reading pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sign-in")).StatusCode);
        var page = await client.PostAsync("/sign-in", new FormUrlEncodedContent([new("Email", "x@example.org")]));
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Contains("Too many attempts", await page.Content.ReadAsStringAsync());
    }
}

public sealed class PasswordRulesTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Theory]
    [InlineData("password1234", "PasswordCommon")]
    [InlineData("Qwertyuiop12", "PasswordCommon")]
    [InlineData("aaaaaaaaaaaaaaaa", "PasswordRepetitive")]
    [InlineData("123456789012", "PasswordSequence")]
    [InlineData("jo.bloggs is my password", "PasswordContainsEmail")]
    [InlineData("short", "PasswordTooShort")]
    public async Task Weak_passwords_are_refused_with_a_reason(string password, string code)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();

        var result = await users.CreateAsync(new IdentityUser { UserName = $"{Guid.NewGuid():N}@example.org", Email = "jo.bloggs@example.org" }, password);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == code);
    }

    [Theory]
    [InlineData("the kettle by the river bank")]
    [InlineData("Tower Bridge at 6 in the morning")]
    public async Task Long_uncommon_passwords_need_no_symbols_or_capitals(string password)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var email = $"{Guid.NewGuid():N}@example.org";
        var result = await users.CreateAsync(new IdentityUser { UserName = email, Email = email }, password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
