using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Concordat.Accounts.People;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Concordat.Tests.Accounts;

/// <summary>The app sending its mail to an SMTP server running inside the test.</summary>
public sealed class InvitingApp : ConcordatFactory, IAsyncLifetime
{
    public const string LfbAdmin = "ig.lead@lfb.example", LfbAdminKey = "INVITINGLFBADMINKEY234567ABCDEFG";
    public const string LfbMember = "reader@lfb.example";
    public SmtpInbox Inbox { get; } = new();
    protected override IDictionary<string, string?> Settings => Inbox.Settings;

    public async Task InitializeAsync()
    {
        await AddPersonAsync(LfbAdmin, "London Fire Brigade", OrganisationRole.Administrator, LfbAdminKey);
        await AddPersonAsync(LfbMember, "London Fire Brigade");
    }

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Inbox.Dispose();
    }
}

public sealed partial class InvitationTests(InvitingApp app) : IClassFixture<InvitingApp>
{
    const string Lfb = "London Fire Brigade";

    async Task<string> InviteAsync(string email, params string[] roles)
    {
        using var admin = await app.SignInAsync(InvitingApp.LfbAdmin, InvitingApp.LfbAdminKey);
        var lfb = await app.OrganisationIdAsync(Lfb);
        var response = await admin.SubmitAsync($"/organisations/{lfb}/people",
            [new("Email", email), .. roles.Select(r => new KeyValuePair<string, string>("Roles", r))], "form[action*=Invite]");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var message = await app.Inbox.WaitForMessageAsync(m => m.To.Mailboxes.Any(a => a.Address == email), TimeSpan.FromSeconds(10));
        return LinkIn(message);
    }

    static string LinkIn(MimeMessage message) =>
        new Uri(InvitationLink().Match(message.TextBody ?? "").Value).PathAndQuery;

    [GeneratedRegex(@"https?://\S+/invitations/[A-Za-z0-9_-]+")]
    private static partial Regex InvitationLink();

    async Task<T> InDatabaseAsync<T>(Func<ConcordatDb, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ConcordatDb>());
    }

    [Fact]
    public async Task An_invited_person_sets_a_password_and_joins_the_organisation_with_the_roles_given()
    {
        var link = await InviteAsync("new.editor@lfb.example", "editor", "signatory");
        var message = app.Inbox.Messages.Last(m => m.To.Mailboxes.Any(a => a.Address == "new.editor@lfb.example"));
        Assert.Contains("London Fire Brigade", message.Subject);
        Assert.Contains("Editor, Signatory", message.TextBody);

        using var browser = app.CreateClient(new() { AllowAutoRedirect = false });
        var page = await browser.GetPageAsync(link);
        Assert.Contains("new.editor@lfb.example", page.Body!.TextContent);

        var weak = await browser.SubmitAsync(link, [new("Password", "password1234"), new("ConfirmPassword", "password1234")]);
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.NotEmpty(weak.ParseBody().ErrorSummary());
        var mismatch = await browser.SubmitAsync(link, [new("Password", "a perfectly long passphrase"), new("ConfirmPassword", "a different long passphrase")]);
        Assert.Contains("The passwords do not match", mismatch.ParseBody().ErrorSummary());

        var accepted = await browser.SubmitAsync(link, [new("Password", "a perfectly long passphrase"), new("ConfirmPassword", "a perfectly long passphrase")]);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/tokens")).StatusCode); // signed in

        var roles = await InDatabaseAsync(db => (from m in db.Memberships join u in db.Users on m.UserId equals u.Id
                                                 where u.Email == "new.editor@lfb.example" select m.Roles).SingleAsync());
        Assert.Equal(OrganisationRole.Editor | OrganisationRole.Signatory, roles);
        var account = await browser.GetPageAsync("/account");
        Assert.Contains("London Fire Brigade", account.QuerySelector("table")!.TextContent);
        Assert.Contains("Editor, Signatory", account.QuerySelector("table")!.TextContent);
        var actions = await InDatabaseAsync(db => db.AuditEvents.Where(e => e.Subject == "person:new.editor@lfb.example").OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Contains("invitation.sent", actions);
        Assert.Contains("invitation.accepted", actions);

        // The link worked once: used again, it is refused, changes nothing, and the attempt is on the trail.
        var again = await app.CreateClient().GetAsync(link);
        Assert.Equal(HttpStatusCode.Gone, again.StatusCode);
        Assert.Contains("already been used", await again.Content.ReadAsStringAsync());
        var refusals = await InDatabaseAsync(db => db.AuditEvents.Where(e => e.Action == "invitation.refused" && e.Subject == "person:new.editor@lfb.example").CountAsync());
        Assert.Equal(1, refusals);
    }

    [Fact]
    public async Task A_forged_link_is_not_found_and_an_expired_or_withdrawn_one_is_gone()
    {
        using var anonymous = app.CreateClient();
        var forged = await anonymous.GetAsync("/invitations/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("not valid", await forged.Content.ReadAsStringAsync());
        Assert.True(await InDatabaseAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "invitation.refused" && e.Subject == "invitation:unknown")));

        var expiring = await InviteAsync("late@lfb.example");
        await InDatabaseAsync(db => db.Invitations.Where(i => i.Email == "late@lfb.example").ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        var expired = await anonymous.GetAsync(expiring);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync());
        // A password sent to an expired link creates nothing.
        using var late = app.CreateClient();
        var posted = await late.PostAsync(expiring, new FormUrlEncodedContent([new("Password", "a perfectly long passphrase"), new("ConfirmPassword", "a perfectly long passphrase")]));
        Assert.NotEqual(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.False(await InDatabaseAsync(db => db.Users.AnyAsync(u => u.Email == "late@lfb.example")));

        var withdrawnLink = await InviteAsync("changed.mind@lfb.example");
        using var admin = await app.SignInAsync(InvitingApp.LfbAdmin, InvitingApp.LfbAdminKey);
        var lfb = await app.OrganisationIdAsync(Lfb);
        var response = await admin.SubmitAsync($"/organisations/{lfb}/people", [], "form[action*=Withdraw]");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await anonymous.GetAsync(withdrawnLink)).StatusCode);
    }

    [Fact]
    public async Task Inviting_checks_the_address_and_refuses_someone_already_in_the_organisation()
    {
        using var admin = await app.SignInAsync(InvitingApp.LfbAdmin, InvitingApp.LfbAdminKey);
        var lfb = await app.OrganisationIdAsync(Lfb);
        var bad = await admin.SubmitAsync($"/organisations/{lfb}/people", [new("Email", "not an address")], "form[action*=Invite]");
        Assert.Contains("Enter an email address in the correct format, like name@example.gov.uk", bad.ParseBody().ErrorSummary());
        var member = await admin.SubmitAsync($"/organisations/{lfb}/people", [new("Email", InvitingApp.LfbMember)], "form[action*=Invite]");
        Assert.Contains($"{InvitingApp.LfbMember} is already a member of London Fire Brigade. Change their roles from the list of people instead", member.ParseBody().ErrorSummary());
        var forgedRole = await admin.SubmitAsync($"/organisations/{lfb}/people", [new("Email", "x@lfb.example"), new("Roles", "owner")], "form[action*=Invite]");
        Assert.Contains("'owner' is not a role. Choose from the list", forgedRole.ParseBody().ErrorSummary());
    }

    [Fact]
    public async Task A_member_who_is_not_an_administrator_cannot_invite_and_the_attempt_is_audited()
    {
        using var member = await app.SignInAsync(InvitingApp.LfbMember);
        var lfb = await app.OrganisationIdAsync(Lfb);
        var page = await member.GetPageAsync($"/organisations/{lfb}/people");
        Assert.Null(page.QuerySelector("form[action*=Invite]"));
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await member.PostAsync($"/organisations/{lfb}/people?handler=Invite",
            new FormUrlEncodedContent([new("Email", "sneaky@lfb.example"), new("Roles", "administrator"), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(await InDatabaseAsync(db => db.Invitations.AnyAsync(i => i.Email == "sneaky@lfb.example")));
        Assert.True(await InDatabaseAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "access.refused" && e.Actor == InvitingApp.LfbMember)));
        Assert.DoesNotContain(app.Inbox.Messages, m => m.To.Mailboxes.Any(a => a.Address == "sneaky@lfb.example"));
    }

    [Fact]
    public async Task Changing_a_persons_roles_takes_effect_on_their_next_request_and_is_audited()
    {
        await app.AddPersonAsync("demoted@lfb.example", Lfb, OrganisationRole.Editor);
        using var api = await app.PersonApiAsync("demoted@lfb.example");
        var lfb = await app.OrganisationIdAsync(Lfb);
        var created = await api.PostAsJsonAsync("/api/v1/agreements", new { title = "Made while an editor", leadOrganisationId = lfb });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        using var admin = await app.SignInAsync(InvitingApp.LfbAdmin, InvitingApp.LfbAdminKey);
        var membership = await InDatabaseAsync(db => (from m in db.Memberships join u in db.Users on m.UserId equals u.Id
                                                      where u.Email == "demoted@lfb.example" select m.Id).SingleAsync());
        var saved = await admin.SubmitAsync($"/organisations/{lfb}/people/{membership}", [new("Roles", "signatory")]);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var refused = await api.PostAsJsonAsync("/api/v1/agreements", new { title = "Made after losing the role", leadOrganisationId = lfb });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var change = await InDatabaseAsync(db => db.AuditEvents.SingleAsync(e => e.Action == "membership.roles-changed" && e.Subject == "person:demoted@lfb.example"));
        Assert.Equal(InvitingApp.LfbAdmin, change.Actor);
        Assert.Equal(lfb, change.OrganisationId);
        var details = JsonNode.Parse(change.Details)!;
        Assert.Equal(["member", "editor"], details["before"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(["member", "signatory"], details["after"]!.AsArray().Select(r => r!.GetValue<string>()));

        var removed = await admin.SubmitAsync($"/organisations/{lfb}/people/{membership}", [], "form[action*=Remove]");
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.False(await InDatabaseAsync(db => db.Memberships.AnyAsync(m => m.Id == membership)));
        Assert.True(await InDatabaseAsync(db => db.AuditEvents.AnyAsync(e => e.Action == "membership.removed" && e.Subject == "person:demoted@lfb.example")));
    }

    [Fact]
    public async Task Someone_with_an_account_accepts_an_invitation_to_a_second_organisation_while_signed_in()
    {
        await app.AddPersonAsync("shared.officer@camden.example", "London Borough of Camden");
        var link = await InviteAsync("shared.officer@camden.example", "editor");
        using var anonymous = app.CreateClient();
        Assert.Contains("Sign in as shared.officer@camden.example", await anonymous.GetStringAsync(link));

        using var officer = await app.SignInAsync("shared.officer@camden.example");
        var accepted = await officer.SubmitAsync(link, [], "form[action*=Accept]");
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var organisations = await InDatabaseAsync(db => (from m in db.Memberships join u in db.Users on m.UserId equals u.Id
                                                         where u.Email == "shared.officer@camden.example" select m.Organisation!.Name).ToListAsync());
        Assert.Equal(["London Borough of Camden", Lfb], organisations.Order());
    }
}

/// <summary>With no SMTP server configured the invitation is written to a file and the page says where.</summary>
public sealed class InvitationWithoutMailServerTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Fact]
    public async Task The_invitation_is_saved_as_an_eml_file_and_the_page_says_so()
    {
        using var admin = await app.SignedInClientAsync();
        var lfb = await app.OrganisationIdAsync("London Fire Brigade");
        var response = await admin.SubmitAsync($"/organisations/{lfb}/people", [new("Email", "first.admin@lfb.example"), new("Roles", "administrator")], "form[action*=Invite]");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await admin.GetStringAsync(response.Headers.Location!.OriginalString);
        Assert.Contains("No email server is configured", page);

        var file = Assert.Single(Directory.GetFiles(app.MailFolder, "*.eml"));
        var message = MimeMessage.Load(file);
        Assert.Equal("first.admin@lfb.example", message.To.Mailboxes.Single().Address);
        Assert.Contains("/invitations/", message.TextBody);
    }
}
