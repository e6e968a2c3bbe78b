using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Concordat.Accounts;
using Concordat.Audit;
using Concordat.Cli;
using Concordat.Data;
using Concordat.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Tests.Accounts;

/// <summary>Two-step sign-in with an authenticator app: setting it up, signing in with it, and its rule for administrators.</summary>
public sealed class TwoStepTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    const string Password = "river kettle lantern morning";
    const string SetupPage = "/account/two-step";

    /// <summary>A new person (each test its own, so wrong codes lock out no one else), optionally an administrator or enrolled with a key.</summary>
    async Task<string> PersonAsync(bool administrator = false, string? key = null)
    {
        var email = $"{Guid.NewGuid():N}@example.org";
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
            Assert.True((await users.CreateAsync(user, Password)).Succeeded);
            if (administrator) await users.AddToRoleAsync(user, AccountSetup.FrameworkAdministrator);
        }
        if (key is not null) await ConcordatFactory.EnrolInTwoStepAsync(app.Services, email, key);
        return email;
    }

    HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    async Task<(HttpClient Client, HttpResponseMessage Response)> PasswordAsync(string email)
    {
        var client = Browser();
        return (client, await client.SubmitAsync("/sign-in", [new("Email", email), new("Password", Password)]));
    }

    /// <summary>A new person with two-step sign-in on, signed in with password and code.</summary>
    async Task<(string Email, HttpClient Client)> SignedInWithTwoStepAsync(string key)
    {
        var email = await PersonAsync(key: key);
        var (client, _) = await PasswordAsync(email);
        var response = await client.SubmitAsync("/sign-in/two-step", [new("Code", ConcordatFactory.CodeFor(key))]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (email, client);
    }

    async Task<List<AuditEvent>> EventsAsync(string email)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Subject == $"person:{email}").OrderBy(e => e.Id).ToListAsync();
    }

    async Task<T> WithUsersAsync<T>(string email, Func<UserManager<IdentityUser>, IdentityUser, Task<T>> read)
    {
        using var scope = app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        return await read(users, (await users.FindByEmailAsync(email))!);
    }

    static string WrongCode(string key) => ((int.Parse(ConcordatFactory.CodeFor(key)) + 500_000) % 1_000_000).ToString("D6");

    static string KeyOn(IHtmlDocument page) => page.QuerySelector("#authenticator-key")!.TextContent.Trim();

    [Fact]
    public async Task The_setup_page_shows_a_QR_code_and_the_key_in_groups_of_four()
    {
        var email = await PersonAsync();
        var (client, _) = await PasswordAsync(email);

        var response = await client.GetAsync(SetupPage);
        var page = response.ParseBody();

        Assert.True(response.Headers.CacheControl!.NoStore);
        var key = KeyOn(page);
        Assert.Matches("^([a-z2-7]{4} )+[a-z2-7]{1,4}$", key);
        var svg = page.QuerySelector("main svg[role=img]")!;
        Assert.Contains("QR code", svg.QuerySelector("title")!.TextContent);
        Assert.NotNull(svg.QuerySelector("path[d]"));
        var uri = page.QuerySelector("a[href^='otpauth://']")!.GetAttribute("href")!;
        Assert.StartsWith($"otpauth://totp/Concordat:{Uri.EscapeDataString(email)}?secret={key.Replace(" ", "").ToUpperInvariant()}", uri);
        Assert.Contains("issuer=Concordat", uri);
        var code = page.QuerySelector("#code")!;
        Assert.Equal("one-time-code", code.GetAttribute("autocomplete"));
        Assert.Equal("numeric", code.GetAttribute("inputmode"));
        Assert.NotNull(page.QuerySelector("label[for=code]"));
    }

    [Fact]
    public async Task Turning_on_with_a_wrong_code_fails_with_an_error_summary_linking_to_the_field()
    {
        var email = await PersonAsync();
        var (client, _) = await PasswordAsync(email);
        var key = KeyOn(await client.GetPageAsync(SetupPage));

        var page = (await client.SubmitAsync(SetupPage, [new("Code", WrongCode(key))], "form[action*='handler=Enable']")).ParseBody();

        Assert.StartsWith("Error:", page.Title);
        var link = page.QuerySelector(".govuk-error-summary__list a")!;
        Assert.Equal("#code", link.GetAttribute("href"));
        Assert.StartsWith("The code is not right", link.TextContent);
        Assert.Equal("code-hint code-error", page.QuerySelector("#code")!.GetAttribute("aria-describedby"));
        Assert.False(await WithUsersAsync(email, (u, p) => u.GetTwoFactorEnabledAsync(p)));
        Assert.DoesNotContain(await EventsAsync(email), e => e.Action == "two-step.enabled");

        var tooShort = (await client.SubmitAsync(SetupPage, [new("Code", "12 34")], "form[action*='handler=Enable']")).ParseBody();
        Assert.Equal(["The code must be 6 digits"], tooShort.ErrorSummary());
    }

    [Fact]
    public async Task Turning_on_with_the_right_code_shows_ten_recovery_codes_and_the_next_sign_in_needs_the_code()
    {
        var email = await PersonAsync();
        var (client, _) = await PasswordAsync(email);
        var key = KeyOn(await client.GetPageAsync(SetupPage));

        var response = await client.SubmitAsync(SetupPage, [new("Code", ConcordatFactory.CodeFor(key))], "form[action*='handler=Enable']");

        var page = response.ParseBody();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Two-step sign-in is on", page.QuerySelector(".govuk-notification-banner--success")!.TextContent);
        var codes = page.QuerySelectorAll("#recovery-codes li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(10, codes.Count);
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Contains("will not be shown again", page.QuerySelector(".govuk-warning-text")!.TextContent);
        Assert.True(await WithUsersAsync(email, (u, p) => u.GetTwoFactorEnabledAsync(p)));
        // Still signed in here: the cookie was reissued after the security stamp changed.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/tokens")).StatusCode);
        var actions = (await EventsAsync(email)).Select(e => e.Action).ToList();
        Assert.Contains("two-step.enabled", actions);
        Assert.Contains("recovery-codes.generated", actions);

        // The password alone no longer signs in.
        var (next, password) = await PasswordAsync(email);
        Assert.Equal("/sign-in/two-step", password.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await next.GetAsync("/account/tokens")).StatusCode);
        var signedIn = await next.SubmitAsync("/sign-in/two-step", [new("Code", ConcordatFactory.CodeFor(key))]);
        Assert.Equal("/agreements", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await next.GetAsync("/account/tokens")).StatusCode);
        Assert.Contains(await EventsAsync(email), e => e.Action == "sign-in.succeeded" && e.Details.Contains("two-step"));
    }

    [Fact]
    public async Task A_wrong_code_at_sign_in_is_refused_audited_and_counted_toward_lockout()
    {
        const string key = "WRONGCODESIGNINKEY234567ABCDEFGH";
        var email = await PersonAsync(key: key);
        var (client, password) = await PasswordAsync(email);
        Assert.Contains(await EventsAsync(email), e => e.Action == "sign-in.password-accepted");

        var page = (await client.SubmitAsync("/sign-in/two-step", [new("Code", WrongCode(key))])).ParseBody();

        Assert.Equal(["The code is not right. Enter the code your authenticator app shows now"], page.ErrorSummary());
        Assert.Equal("#code", page.QuerySelector(".govuk-error-summary__list a")!.GetAttribute("href"));
        Assert.Equal(1, await WithUsersAsync(email, (u, p) => u.GetAccessFailedCountAsync(p)));
        Assert.Contains(await EventsAsync(email), e => e.Action == "sign-in.failed" && e.Details.Contains("two-step"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/account/tokens")).StatusCode);
    }

    [Fact]
    public async Task The_second_step_keeps_a_local_return_address_and_drops_any_other()
    {
        const string key = "RETURNADDRESSKEY234567ABCDEFGHIJ";
        var email = await PersonAsync(key: key);
        var client = Browser();
        var password = await client.SubmitAsync("/sign-in?returnUrl=%2Forganisations", [new("Email", email), new("Password", Password), new("ReturnUrl", "/organisations")]);
        Assert.Equal("/sign-in/two-step?returnUrl=%2Forganisations", password.Headers.Location!.OriginalString);
        var local = await client.SubmitAsync(password.Headers.Location.OriginalString, [new("Code", ConcordatFactory.CodeFor(key)), new("ReturnUrl", "/organisations")]);
        Assert.Equal("/organisations", local.Headers.Location!.OriginalString);

        var other = Browser();
        await other.SubmitAsync("/sign-in", [new("Email", email), new("Password", Password)]);
        var away = await other.SubmitAsync("/sign-in/two-step", [new("Code", ConcordatFactory.CodeFor(key)), new("ReturnUrl", "https://evil.example/")]);
        Assert.Equal("/agreements", away.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Without_a_right_password_first_the_second_step_sends_back_to_sign_in()
    {
        var response = await Browser().GetAsync("/sign-in/two-step");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/sign-in", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_not_twice()
    {
        const string key = "RECOVERYCODEKEY234567ABCDEFGHIJK";
        var email = await PersonAsync(key: key);
        var codes = await WithUsersAsync(email, async (u, p) => (await u.GenerateNewTwoFactorRecoveryCodesAsync(p, 10))!.ToList());
        Assert.All(codes, c => Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", c));

        var (first, _) = await PasswordAsync(email);
        var twoStep = await first.GetPageAsync("/sign-in/two-step");
        Assert.Equal("/sign-in/recovery-code", twoStep.QuerySelector("main a[href^='/sign-in/recovery-code']")!.GetAttribute("href"));
        // Typed in lower case without the hyphen, as people do.
        var once = await first.SubmitAsync("/sign-in/recovery-code", [new("Code", codes[0].Replace("-", "").ToLowerInvariant())]);
        Assert.Equal("/agreements", once.Headers.Location!.OriginalString);
        Assert.Equal(9, await WithUsersAsync(email, (u, p) => u.CountRecoveryCodesAsync(p)));

        var (second, _) = await PasswordAsync(email);
        var twice = (await second.SubmitAsync("/sign-in/recovery-code", [new("Code", codes[0])])).ParseBody();
        Assert.Equal(["The recovery code is not right, or it has been used already"], twice.ErrorSummary());
        Assert.Equal(1, await WithUsersAsync(email, (u, p) => u.GetAccessFailedCountAsync(p)));
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/account/tokens")).StatusCode);
        var events = await EventsAsync(email);
        Assert.Contains(events, e => e.Action == "sign-in.succeeded" && e.Details.Contains("recovery-code"));
        Assert.Contains(events, e => e.Action == "sign-in.failed" && e.Details.Contains("recovery-code"));
    }

    [Fact]
    public async Task New_recovery_codes_replace_the_old_ones_and_are_audited()
    {
        var (email, client) = await SignedInWithTwoStepAsync("NEWRECOVERYCODESKEY234567ABCDEFG");
        var old = await WithUsersAsync(email, async (u, p) => (await u.GenerateNewTwoFactorRecoveryCodesAsync(p, 10))!.ToList());
        Assert.Contains("10 of 10", (await client.GetPageAsync(SetupPage)).QuerySelector("#recovery-codes-left")!.TextContent);

        var page = (await client.SubmitAsync(SetupPage, [], "form[action*='handler=RecoveryCodes']")).ParseBody();

        var fresh = page.QuerySelectorAll("#recovery-codes li").Select(li => li.TextContent.Trim()).ToList();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(old));
        Assert.False(await WithUsersAsync(email, async (u, p) => (await u.RedeemTwoFactorRecoveryCodeAsync(p, old[0])).Succeeded));
        Assert.Contains(await EventsAsync(email), e => e.Action == "recovery-codes.generated" && e.Actor == email);
    }

    [Fact]
    public async Task A_person_may_turn_it_off_but_a_framework_administrator_may_not()
    {
        const string key = "TURNOFFPERSONKEY234567ABCDEFGHIJ";
        var (email, client) = await SignedInWithTwoStepAsync(key);
        var off = (await client.SubmitAsync(SetupPage, [], "form[action*='handler=Disable']")).ParseBody();
        Assert.Contains("Two-step sign-in is off", off.QuerySelector(".govuk-notification-banner--success")!.TextContent);
        Assert.False(await WithUsersAsync(email, (u, p) => u.GetTwoFactorEnabledAsync(p)));
        Assert.Contains(await EventsAsync(email), e => e.Action == "two-step.disabled");
        // A later setup starts from a new key.
        Assert.NotEqual(key, KeyOn(off).Replace(" ", "").ToUpperInvariant());

        var admin = await app.SignedInClientAsync();
        var page = await admin.GetPageAsync(SetupPage);
        Assert.Null(page.QuerySelector("form[action*='handler=Disable']"));
        Assert.Contains("You cannot turn off two-step sign-in because you are an administrator", page.QuerySelector(".govuk-inset-text")!.TextContent);
        // A hand-made request is refused too.
        var token = page.QuerySelector("form[action*='handler=RecoveryCodes'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var forced = await admin.PostAsync($"{SetupPage}?handler=Disable", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Forbidden, forced.StatusCode);
        Assert.True(await WithUsersAsync(ConcordatFactory.AdminEmail, (u, p) => u.GetTwoFactorEnabledAsync(p)));
    }

    [Fact]
    public async Task An_administrator_without_two_step_is_sent_to_set_it_up_from_any_page_until_they_do()
    {
        var email = await PersonAsync(administrator: true);
        var (client, signIn) = await PasswordAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        foreach (var path in new[] { "/", "/agreements", "/organisations", "/account/tokens", "/agreements/new", "/developers" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path} answered {(int)response.StatusCode}");
            Assert.Equal(SetupPage, response.Headers.Location!.OriginalString);
        }
        var setup = await client.GetPageAsync(SetupPage);
        Assert.Contains("You must turn on two-step sign-in before you can use Concordat", setup.QuerySelector(".govuk-notification-banner")!.TextContent);
        // Static files and the error pages are not held back.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/css/concordat.css")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/error/404")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/no-such-page")).StatusCode);

        await client.SubmitAsync(SetupPage, [new("Code", ConcordatFactory.CodeFor(KeyOn(setup)))], "form[action*='handler=Enable']");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/agreements")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_without_two_step_may_still_sign_out()
    {
        var email = await PersonAsync(administrator: true);
        var (client, _) = await PasswordAsync(email);
        var signedOut = await client.SubmitAsync(SetupPage, [], "form[action='/sign-out']");
        Assert.Equal("/", signedOut.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/agreements")).StatusCode);
    }

    [Fact]
    public async Task An_administrator_without_two_step_gets_403_from_the_token_endpoint_but_the_command_line_still_works()
    {
        var email = await PersonAsync(administrator: true);
        using var client = app.CreateClient();

        var response = await client.PostAsJsonAsync("/api/v1/tokens", new { email, password = Password });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Contains("two-step", problem["title"]!.ToString());
        Assert.Contains("concordat token create", problem["detail"]!.ToString());

        var output = new StringWriter();
        Assert.Equal(0, await CommandLine.RunAsync(app.Services, ["token", "create", "--email", email], output, new StringWriter()));
        Assert.StartsWith("cdt_", output.ToString().Trim());
    }

    [Fact]
    public async Task The_token_endpoint_asks_for_the_code_of_a_person_with_two_step_on()
    {
        const string key = "TOKENENDPOINTKEY234567ABCDEFGHIJ";
        var email = await PersonAsync(key: key);
        using var client = app.CreateClient();
        async Task<HttpResponseMessage> Post(object body) => await client.PostAsJsonAsync("/api/v1/tokens", body);
        static async Task<JsonObject> Problem(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<JsonObject>())!;

        var without = await Post(new { email, password = Password });
        Assert.Equal(HttpStatusCode.BadRequest, without.StatusCode);
        Assert.Equal("application/problem+json", without.Content.Headers.ContentType!.MediaType);
        Assert.True((await Problem(without))["errors"]!.AsObject().ContainsKey("totp"));

        var wrong = await Post(new { email, password = Password, totp = WrongCode(key) });
        var badPassword = await Post(new { email, password = "not the password at all", totp = ConcordatFactory.CodeFor(key) });
        var unknown = await Post(new { email = "nobody-here@example.org", password = Password });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, badPassword.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        var title = (await Problem(wrong))["title"]!.ToString();
        Assert.Equal(title, (await Problem(badPassword))["title"]!.ToString());
        Assert.Equal(title, (await Problem(unknown))["title"]!.ToString());
        Assert.Contains(await EventsAsync(email), e => e.Action == "sign-in.failed" && e.Details.Contains("api two-step"));

        var right = await Post(new { email, password = Password, totp = ConcordatFactory.CodeFor(key) });
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        Assert.Equal(0, await WithUsersAsync(email, (u, p) => u.GetAccessFailedCountAsync(p)));
    }

    [Fact]
    public async Task A_wrong_password_with_no_code_is_a_401_not_a_request_for_the_code()
    {
        using var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/tokens", new { email = ConcordatFactory.AdminEmail, password = "not the admin password" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}

public sealed class TwoStepRateLimitTests(StrictRateLimitFactory app) : IClassFixture<StrictRateLimitFactory>
{
    [Fact]
    public async Task Codes_count_toward_the_same_account_limit_as_passwords()
    {
        const string email = "coded.officer@lfb.example", key = "TWOSTEPRATELIMITKEY234567ABCDEF";
        await app.AddPersonAsync(email, "London Fire Brigade", Concordat.Organisations.OrganisationRole.Editor, key);
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync("/sign-in", [new("Email", email), new("Password", ConcordatFactory.PersonPassword)])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/sign-in/two-step", [new("Code", "000000")])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/sign-in/recovery-code", [new("Code", "ABCDE-FGHIJ")])).StatusCode);

        // The password and two wrong codes are the account's three attempts this minute: even the right code must wait.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SubmitAsync("/sign-in/two-step", [new("Code", ConcordatFactory.CodeFor(key))])).StatusCode);
    }
}
