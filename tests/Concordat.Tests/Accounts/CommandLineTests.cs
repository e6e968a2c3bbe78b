using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Concordat.Cli;
using Concordat.Tests.Support;

namespace Concordat.Tests.Accounts;

/// <summary>concordat token create, run against the same database the app uses.</summary>
public sealed class CommandLineTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CommandLine.RunAsync(app.Services, args, output, errors);
        return (exit, output.ToString().Trim(), errors.ToString().Trim());
    }

    HttpClient WithToken(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_token_created_on_the_command_line_prints_alone_and_works()
    {
        var (exit, output, errors) = await RunAsync("token", "create", "--email", ConcordatFactory.AdminEmail, "--expires", "30");

        Assert.Equal(0, exit);
        Assert.Matches("^cdt_[A-Za-z0-9_-]+$", output);
        Assert.Contains("read and change", errors);
        using var client = WithToken(output);
        var created = await client.PostAsJsonAsync("/api/v1/agreements", new { title = "From a script", leadOrganisationId = await app.OrganisationIdAsync("Shelter") });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    [Fact]
    public async Task A_read_only_token_reads_but_cannot_change_anything()
    {
        var (exit, token, _) = await RunAsync("token", "create", "--email", ConcordatFactory.AdminEmail, "--read-only");
        Assert.Equal(0, exit);
        var admin = await app.AdminApiAsync();
        var draft = await app.CreateAgreementAsync(admin, new { title = "Read-only check", leadOrganisationId = await app.OrganisationIdAsync("Shelter") });
        using var client = WithToken(token);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/agreements/{draft["id"]}")).StatusCode);
        var write = await client.PostAsJsonAsync("/api/v1/agreements", new { title = "Should not exist", leadOrganisationId = 1 });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/agreements/{draft["id"]}/publish", null)).StatusCode);
    }

    [Theory]
    [InlineData("nobody@example.org", null, 1, "No account")]
    [InlineData(ConcordatFactory.AdminEmail, "400", 2, "--expires")]
    [InlineData(ConcordatFactory.AdminEmail, "next tuesday", 2, "--expires")]
    public async Task Mistakes_on_the_command_line_say_what_is_wrong_and_issue_nothing(string email, string? expires, int expectedExit, string message)
    {
        string[] args = expires is null ? ["token", "create", "--email", email] : ["token", "create", "--email", email, "--expires", expires];
        var (exit, output, errors) = await RunAsync(args);

        Assert.Equal(expectedExit, exit);
        Assert.Empty(output);
        Assert.Contains(message, errors);
    }

    [Fact]
    public async Task A_missing_email_is_reported_by_the_parser()
    {
        var (exit, _, errors) = await RunAsync("token", "create");
        Assert.NotEqual(0, exit);
        Assert.Contains("--email", errors);
    }

    [Fact]
    public async Task Invite_on_the_command_line_sends_the_first_administrator_an_invitation()
    {
        var (exit, output, _) = await RunAsync("invite", "--email", "first.admin@camden.example", "--organisation", "E09000007", "--role", "administrator", "--url", "https://concordat.example");

        Assert.Equal(0, exit);
        Assert.Contains("Invited first.admin@camden.example to London Borough of Camden as Organisation administrator", output);
        var file = Directory.GetFiles(app.MailFolder, "*.eml").Select(f => MimeKit.MimeMessage.Load(f)).Single(m => m.To.Mailboxes.Single().Address == "first.admin@camden.example");
        Assert.Contains("https://concordat.example/invitations/", file.TextBody);
    }

    [Theory]
    [InlineData("Atlantis Borough Council", "administrator", 1, "No organisation has the name or code 'Atlantis Borough Council'")]
    [InlineData("London Fire Brigade", "owner", 2, "'owner' is not a role")]
    public async Task Invite_mistakes_say_what_is_wrong_and_send_nothing(string organisation, string role, int expectedExit, string message)
    {
        var (exit, _, errors) = await RunAsync("invite", "--email", "someone@example.gov.uk", "--organisation", organisation, "--role", role);
        Assert.Equal(expectedExit, exit);
        Assert.Contains(message, errors);
    }
}
