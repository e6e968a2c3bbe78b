using System.Net;
using System.Text.RegularExpressions;
using Concordat.Organisations;
using Concordat.Tests.Support;

namespace Concordat.Tests.Accounts;

public sealed class MailingApp : ConcordatFactory
{
    public SmtpInbox Inbox { get; } = new();
    protected override IDictionary<string, string?> Settings => Inbox.Settings;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Inbox.Dispose();
    }
}

/// <summary>Forgot your password: a link by email that works once, and says nothing about who has an account.</summary>
public sealed partial class PasswordResetTests(MailingApp app) : IClassFixture<MailingApp>
{
    [GeneratedRegex(@"https?://\S+(/sign-in/reset-password\?\S+)")]
    private static partial Regex ResetLink();

    async Task<string> RequestResetAsync(string email)
    {
        using var client = app.CreateClient();
        var response = await client.SubmitAsync("/sign-in/forgot-password", [new("Email", email)]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Check your email", await response.Content.ReadAsStringAsync());
        var message = await app.Inbox.WaitForMessageAsync(m => m.To.Mailboxes.Any(a => a.Address == email), TimeSpan.FromSeconds(10));
        return ResetLink().Match(message.TextBody ?? "").Groups[1].Value;
    }

    [Fact]
    public async Task A_person_who_forgot_their_password_chooses_a_new_one_from_the_emailed_link_once()
    {
        await app.AddPersonAsync("forgetful@camden.example", "London Borough of Camden");
        var link = await RequestResetAsync("forgetful@camden.example");

        using var browser = app.CreateClient(new() { AllowAutoRedirect = false });
        var weak = await browser.SubmitAsync(link, [new("Password", "password1234"), new("ConfirmPassword", "password1234")]);
        Assert.NotEmpty(weak.ParseBody().ErrorSummary());
        var changed = await browser.SubmitAsync(link, [new("Password", "kettle harbour pigeon lamp"), new("ConfirmPassword", "kettle harbour pigeon lamp")]);
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        using var signedIn = await app.SignInAsync("forgetful@camden.example", password: "kettle harbour pigeon lamp");
        var again = await browser.SubmitAsync(link, [new("Password", "another long passphrase"), new("ConfirmPassword", "another long passphrase")]);
        Assert.Contains("This link has expired, has been used or is not complete. Ask for a new one from the sign-in page", again.ParseBody().ErrorSummary());

        var actions = (await new Audit.AuditProbe(app).EventsAsync("person:forgetful@camden.example")).Select(e => e.Action).ToList();
        Assert.Contains("password.reset-requested", actions);
        Assert.Contains("password.reset", actions);
        Assert.Contains("password.reset-refused", actions);
    }

    [Fact]
    public async Task An_unknown_address_gets_the_same_answer_and_no_email()
    {
        using var client = app.CreateClient();
        var response = await client.SubmitAsync("/sign-in/forgot-password", [new("Email", "nobody.here@example.org")]);
        Assert.Contains("If nobody.here@example.org has a Concordat account with a password, we have sent it a link", (await response.Content.ReadAsStringAsync()).Replace("\n", " "));
        await Task.Delay(500);
        Assert.DoesNotContain(app.Inbox.Messages, m => m.To.Mailboxes.Any(a => a.Address == "nobody.here@example.org"));
    }

    [Fact]
    public async Task A_link_with_its_token_altered_changes_nothing()
    {
        await app.AddPersonAsync("careful.reset@camden.example", "London Borough of Camden", OrganisationRole.Member);
        var link = await RequestResetAsync("careful.reset@camden.example");
        var forged = Regex.Replace(link, "token=[^&]+", "token=AAAA");
        using var browser = app.CreateClient();
        var response = await browser.SubmitAsync(forged, [new("Password", "kettle harbour pigeon lamp"), new("ConfirmPassword", "kettle harbour pigeon lamp")]);
        Assert.Contains("This link has expired, has been used or is not complete. Ask for a new one from the sign-in page", response.ParseBody().ErrorSummary());
        using var old = await app.SignInAsync("careful.reset@camden.example"); // the old password still works
    }
}
