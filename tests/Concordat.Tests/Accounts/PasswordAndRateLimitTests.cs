using System.Net;
using System.Net.Http.Json;
using Concordat.Accounts;
using Concordat.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Accounts;

public sealed class StrictRateLimitFactory : ConcordatFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Concordat:RateLimit:PasswordAttemptsPerMinute"] = "3",
        ["Concordat:RateLimit:PasswordAttemptsPerAddressPerMinute"] = "6",
    };

    /// <summary>The test server has no sockets: a client's address arrives in this header and is set as the connection's, first thing.</summary>
    const string AddressHeader = "X-Test-Client-Address";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
    }

    sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address)) context.Connection.RemoteIpAddress = address;
                return following(context);
            });
            next(app);
        };
    }

    /// <summary>POST /api/v1/tokens with a wrong password, as a client at the address would send it.</summary>
    public async Task<HttpStatusCode> AskForTokenAsync(string email, string address)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tokens") { Content = JsonContent.Create(new { email, password = "guessing a password" }) };
        request.Headers.Add(AddressHeader, address);
        return (await client.SendAsync(request)).StatusCode;
    }
}

/// <summary>Password attempts are limited per account whatever the address, and per address whatever the account, more generously.</summary>
public sealed class RateLimitTests(StrictRateLimitFactory app) : IClassFixture<StrictRateLimitFactory>
{
    [Fact]
    public async Task People_behind_one_address_each_have_their_own_attempts_and_the_address_has_a_larger_limit()
    {
        const string proxy = "192.0.2.10";
        var first = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) first.Add(await app.AskForTokenAsync("first.officer@council.example", proxy));
        // The first officer's fourth attempt is over their account's limit; a colleague behind the same proxy is not.
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], first);
        Assert.Equal(HttpStatusCode.Unauthorized, await app.AskForTokenAsync("second.officer@council.example", proxy));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.AskForTokenAsync("third.officer@council.example", proxy));
        // Six attempts from the address in the minute: the seventh is refused whoever it is for, and another address is not held up.
        Assert.Equal(HttpStatusCode.TooManyRequests, await app.AskForTokenAsync("fourth.officer@council.example", proxy));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.AskForTokenAsync("fourth.officer@council.example", "192.0.2.11"));
    }

    [Fact]
    public async Task An_attack_on_one_account_spread_over_many_addresses_is_still_limited()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add(await app.AskForTokenAsync("Target.Officer@council.example", $"198.51.100.{i + 1}"));

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        // The same account however its address is written.
        Assert.Equal(HttpStatusCode.TooManyRequests, await app.AskForTokenAsync(" target.officer@COUNCIL.example ", "198.51.100.99"));
    }

    [Fact]
    public async Task The_sign_in_page_says_to_wait_when_the_account_has_had_too_many_attempts()
    {
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/sign-in", [new("Email", "page.officer@council.example"), new("Password", "guessing a password")])).StatusCode);

        var page = await client.SubmitAsync("/sign-in", [new("Email", "page.officer@council.example"), new("Password", "guessing a password")]);
        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("60", page.Headers.RetryAfter?.ToString());
        Assert.Contains("Too many attempts", await page.Content.ReadAsStringAsync());
        // Reading pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sign-in")).StatusCode);
    }
}

/// <summary>Two nodes on one database count attempts together: the limits hold whichever node a client reaches.</summary>
public sealed class RateLimitAcrossNodesTests : IDisposable
{
    readonly ConcordatFactory _database = new();
    static readonly Dictionary<string, string?> Strict = new()
    {
        ["Concordat:RateLimit:PasswordAttemptsPerMinute"] = "3",
        ["Concordat:RateLimit:PasswordAttemptsPerAddressPerMinute"] = "6",
    };

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Attempts_sent_to_either_node_count_against_one_account_and_one_address()
    {
        using var a = _database.AnotherNode(Strict);
        using var b = _database.AnotherNode(Strict);
        using var onA = a.CreateClient();
        using var onB = b.CreateClient();
        async Task<HttpStatusCode> TryAsync(HttpClient node, string email) =>
            (await node.PostAsJsonAsync("/api/v1/tokens", new { email, password = "guessing a password" })).StatusCode;

        // One account, alternately on each node: the fourth attempt is refused though neither node has seen more than two.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) statuses.Add(await TryAsync(i % 2 == 0 ? onA : onB, "shared.officer@council.example"));
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        // The address (every test client's) has made four attempts; two more are allowed across the nodes, then none on either.
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAsync(onB, "second.officer@council.example"));
        Assert.Equal(HttpStatusCode.Unauthorized, await TryAsync(onA, "third.officer@council.example"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await TryAsync(onB, "fourth.officer@council.example"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await TryAsync(onA, "fourth.officer@council.example"));
        // Nothing that names the address or the account is kept: only hashes.
        Assert.DoesNotContain(await _database.InDatabaseAsync(db => db.PasswordAttempts.Select(x => x.Key).ToListAsync()), k => k.Contains('@') || k.Contains("address"));
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
