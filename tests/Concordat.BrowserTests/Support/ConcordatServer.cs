using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Concordat.Organisations;
using OtpNet;

namespace Concordat.BrowserTests.Support;

/// <summary>
/// The real app on Kestrel at a free local port, over a SQLite file and a blob folder in a fresh
/// temporary directory, so a real browser can reach it.
/// </summary>
public sealed class ConcordatServer : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@browser.example";
    public const string AdminPassword = "a long browser test password";
    /// <summary>The administrator's authenticator key (Base32): framework administrators must use two-step sign-in.</summary>
    public const string AdminAuthenticatorKey = "CONCORDATBROWSERADMINKEY234567AB";

    /// <summary>The code the administrator's authenticator app shows now.</summary>
    public static string AdminCode() => CodeFor(AdminAuthenticatorKey);

    /// <summary>The code an app shows now for a key, as stored or as the setup page shows it (grouped, lower case).</summary>
    public static string CodeFor(string key) => new Totp(Base32Encoding.ToBytes(key.Replace(" ", "").ToUpperInvariant())).ComputeTotp();

    readonly bool _demoData;

    public ConcordatServer(bool demoData)
    {
        _demoData = demoData;
        // The port is chosen before the app starts because the app's public address (the links it mails) names it.
        _port = FreePort();
        UseKestrel(_port);
    }

    readonly int _port;

    static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try { return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("concordat-browser-").FullName;
    /// <summary>Where mail lands as .eml files: the browser journeys read invitations from here.</summary>
    public string MailFolder => Path.Combine(Root, "mail");

    /// <summary>The address Kestrel listens on, such as http://127.0.0.1:41234, without a trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Starts the app (migration, seeding and demo data included) and reads its real address.</summary>
    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("The test server reports no addresses.");
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The test server listens on no http address: {string.Join(", ", addresses)}");
        BaseUrl = address.TrimEnd('/').Replace("localhost", "127.0.0.1");
        EnrolAdministratorAsync().GetAwaiter().GetResult();
    }

    /// <summary>Turns on two-step sign-in for the administrator with the known key, as if they had set up their app.</summary>
    async Task EnrolAdministratorAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var store = (IUserAuthenticatorKeyStore<IdentityUser>)scope.ServiceProvider.GetRequiredService<IUserStore<IdentityUser>>();
        var admin = await users.FindByEmailAsync(AdminEmail) ?? throw new InvalidOperationException("The administrator was not created.");
        await store.SetAuthenticatorKeyAsync(admin, AdminAuthenticatorKey, CancellationToken.None);
        // Saves the key with the flag.
        var enabled = await users.SetTwoFactorEnabledAsync(admin, true);
        if (!enabled.Succeeded) throw new InvalidOperationException(string.Join("; ", enabled.Errors.Select(e => e.Description)));
    }

    Concordat.Tests.Support.TestDatabase? _database;

    public const string PersonPassword = "a long browser person password";

    /// <summary>Adds a person with roles in one organisation, as an administrator's invitation would, for journeys that need several people.</summary>
    public async Task AddPersonAsync(string email, string organisation, OrganisationRole roles)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, PersonPassword);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join("; ", created.Errors.Select(e => e.Description)));
        var db = scope.ServiceProvider.GetRequiredService<Concordat.Data.ConcordatDb>();
        var organisationId = db.Organisations.Single(o => o.Name == organisation).Id;
        db.Memberships.Add(new Membership { UserId = user.Id, OrganisationId = organisationId, Roles = roles, CreatedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        _database ??= Concordat.Tests.Support.TestDatabase.Create(Root);
        foreach (var (key, value) in _database.Settings) builder.UseSetting(key, value);
        builder.UseSetting("Concordat:Documents:BlobRoot", Path.Combine(Root, "blobs"));
        builder.UseSetting("Concordat:Admin:Email", AdminEmail);
        builder.UseSetting("Concordat:Admin:Password", AdminPassword);
        builder.UseSetting("Concordat:DemoData", _demoData ? "true" : "false");
        builder.UseSetting("Concordat:PublicUrl", $"http://127.0.0.1:{_port}");
        builder.UseSetting("Concordat:RateLimit:PasswordAttemptsPerMinute", "1000");
        builder.UseSetting("Concordat:RateLimit:PasswordAttemptsPerAddressPerMinute", "1000");
        builder.UseSetting("Concordat:Mail:PickupFolder", MailFolder);
        builder.UseSetting("Concordat:Search:IndexFolder", Path.Combine(Root, "search"));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _database?.Dispose();
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
