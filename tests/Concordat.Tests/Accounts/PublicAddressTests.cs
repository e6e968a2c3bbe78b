using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Concordat.Tests.Support;
using Microsoft.AspNetCore.Hosting;

namespace Concordat.Tests.Accounts;

/// <summary>An operator who opened the app to every host name (AllowedHosts "*"): links must still come from Concordat:PublicUrl.</summary>
public sealed class AnyHostApp : ConcordatFactory
{
    public const string Site = "https://concordat.example.gov.uk";

    // Its clients speak https, as the public address does: the sign-in cookie is Secure and would not go over http.
    public AnyHostApp() => ClientOptions.BaseAddress = new Uri("https://localhost");
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Concordat:PublicUrl"] = Site, ["AllowedHosts"] = "*" };
}

/// <summary>Every link that leaves the app (mail, feed, open data, exports) starts with Concordat:PublicUrl, whatever Host a request names.</summary>
public sealed partial class ForgedHostLinkTests(AnyHostApp app) : IClassFixture<AnyHostApp>
{
    const string Forged = "evil.example";

    [GeneratedRegex(@"https?://[^\s""'<>)]+")]
    private static partial Regex Url();

    static HttpRequestMessage Forge(HttpMethod method, string path) => new(method, path) { Headers = { Host = Forged } };

    static void AllLinksAreThePublicAddress(string text, string what)
    {
        Assert.DoesNotContain(Forged, text);
        var links = Url().Matches(text).Select(m => m.Value)
            .Where(u => !u.StartsWith("http://www.w3.org") && !u.StartsWith("http://purl.org") && !u.StartsWith("http://xmlns.com") && !u.Contains("nationalarchives.gov.uk"))
            .ToList();
        Assert.True(links.Count > 0, $"{what} has no links to check");
        Assert.All(links, l => Assert.StartsWith(AnyHostApp.Site + "/", l));
    }

    [Fact]
    public async Task With_an_https_public_address_the_sign_in_cookie_is_secure_even_on_an_http_request()
    {
        await app.AddPersonAsync("secure.cookie@camden.example", "London Borough of Camden");
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, BaseAddress = new Uri("http://localhost"), // the proxy forgot to say it was https
        });
        var response = await client.SubmitAsync("/sign-in", [new("Email", "secure.cookie@camden.example"), new("Password", ConcordatFactory.PersonPassword)]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("concordat="));
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_password_reset_asked_for_with_a_forged_host_mails_a_link_to_the_public_address()
    {
        await app.AddPersonAsync("reset.me@camden.example", "London Borough of Camden");
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Host = Forged;
        var response = await client.SubmitAsync("/sign-in/forgot-password", [new("Email", "reset.me@camden.example")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mail = MailTo("reset.me@camden.example");
        Assert.Contains($"{AnyHostApp.Site}/sign-in/reset-password?", mail);
        AllLinksAreThePublicAddress(mail, "the reset email");
    }

    [Fact]
    public async Task An_invitation_sent_with_a_forged_host_links_to_the_public_address()
    {
        using var admin = await app.SignedInClientAsync();
        admin.DefaultRequestHeaders.Host = Forged;
        var lfb = await app.OrganisationIdAsync("London Fire Brigade");
        var response = await admin.SubmitAsync($"/organisations/{lfb}/people", [new("Email", "invited@lfb.example"), new("Roles", "editor")], "form[action*=Invite]");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var mail = MailTo("invited@lfb.example");
        Assert.Contains($"{AnyHostApp.Site}/invitations/", mail);
        AllLinksAreThePublicAddress(mail, "the invitation");
    }

    [Fact]
    public async Task The_feed_the_dataset_description_and_the_exports_link_to_the_public_address()
    {
        using var api = await app.AdminApiAsync();
        var id = (await app.CreateAgreementAsync(api, await app.CompleteRecordAsync("Linked from the feed")))["id"]!.GetValue<int>();
        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(api, id, "The agreement."u8.ToArray(), "agreement.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/agreements/{id}/publish", null)).StatusCode);
        using var client = app.CreateClient();

        var feed = await (await client.SendAsync(Forge(HttpMethod.Get, "/feeds/agreements.atom"))).Content.ReadAsStringAsync();
        var atom = XNamespace.Get("http://www.w3.org/2005/Atom");
        Assert.Contains(XDocument.Parse(feed).Descendants(atom + "link"), l => (string?)l.Attribute("href") == $"{AnyHostApp.Site}/agreements/{id}");
        AllLinksAreThePublicAddress(feed, "the Atom feed");

        var dataset = await (await client.SendAsync(Forge(HttpMethod.Get, "/open-data/dataset.jsonld"))).Content.ReadAsStringAsync();
        Assert.Equal($"{AnyHostApp.Site}/open-data", JsonNode.Parse(dataset)!["dcat:landingPage"]!["@id"]!.GetValue<string>());
        AllLinksAreThePublicAddress(dataset, "the DCAT description");

        var csv = await (await client.SendAsync(Forge(HttpMethod.Get, "/export/agreements.csv"))).Content.ReadAsStringAsync();
        Assert.Contains($"{AnyHostApp.Site}/agreements/{id}", csv);
        AllLinksAreThePublicAddress(csv, "the CSV export");
    }

    string MailTo(string address)
    {
        var messages = Directory.GetFiles(app.MailFolder, "*.eml").Select(f => MimeKit.MimeMessage.Load(f))
            .Where(m => m.To.Mailboxes.Any(a => a.Address == address)).ToList();
        return Assert.Single(messages).TextBody ?? "";
    }
}

/// <summary>With AllowedHosts left to follow Concordat:PublicUrl (the default), a request for another host is refused before it reaches the app.</summary>
public sealed class HostFilteringTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    [Theory]
    [InlineData("/feeds/agreements.atom")]
    [InlineData("/open-data/dataset.jsonld")]
    [InlineData("/sign-in/forgot-password")]
    [InlineData("/api/v1/organisations")]
    public async Task A_request_naming_another_host_is_refused(string path)
    {
        using var client = app.CreateClient();
        var forged = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, path) { Headers = { Host = "evil.example" } });
        var own = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }
}

/// <summary>Outside Development the app has no address to guess: it will not start without one, and says which setting to set.</summary>
public sealed class PublicUrlSettingTests
{
    sealed class AppWith(string environment, string publicUrl) : ConcordatFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
            builder.UseSetting("Concordat:PublicUrl", publicUrl);
        }
    }

    [Theory]
    [InlineData("Production", "", "Concordat:PublicUrl is not set")]
    [InlineData("Production", "concordat.example.gov.uk", "is not a web address")]
    [InlineData("Staging", "https://concordat.example.gov.uk/?next=1", "is not a web address")]
    public void Outside_development_the_app_refuses_to_start_without_a_usable_public_address(string environment, string publicUrl, string message)
    {
        using var app = new AppWith(environment, publicUrl);
        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        var all = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains(message, all);
        Assert.Contains("Concordat:PublicUrl", all);
    }

    [Fact]
    public async Task In_development_the_address_dotnet_run_listens_on_is_the_default()
    {
        using var app = new AppWith("Development", "");
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/open-data")).StatusCode);
        Assert.Equal("http://localhost:5080", app.Services.GetService(typeof(Concordat.Shared.PublicSite)) is Concordat.Shared.PublicSite site ? site.BaseUrl : null);
    }

    static IEnumerable<Exception> Flatten(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            yield return x;
            if (x is AggregateException aggregate)
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten)) yield return inner;
        }
    }
}
