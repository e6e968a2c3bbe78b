using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using System.Text.Json.Serialization;
using Concordat.Accounts;
using Concordat.Accounts.SingleSignOn;
using Concordat.Agreements;
using Concordat.Api;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Demo;
using Concordat.Documents;
using Concordat.Mail;
using Concordat.Import;
using Concordat.OpenData;
using Concordat.Operations;
using Concordat.Organisations;
using Concordat.Search;
using Concordat.Shared;
using Concordat.Templates;

var builder = WebApplication.CreateBuilder(args);

// Configuration: appsettings.json, appsettings.{Environment}.json, then Concordat__* environment variables.
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

// A command-line verb prints its result on standard output; everything logged goes to standard error.
if (Concordat.Cli.CommandLine.IsCommand(args))
    builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
// One JSON object per line, for a log collector, when Concordat:Logging:Json is set.
if (builder.Configuration.GetValue("Concordat:Logging:Json", false))
    builder.Logging.ClearProviders().AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; });

// Services
builder.Services.AddSingleton(TimeProvider.System);
// Links in mail, feeds and open data start with Concordat:PublicUrl (required outside Development), and only its host is served.
builder.Services.AddPublicSite(builder.Configuration, builder.Environment);
builder.Services.AddConcordatDatabase(builder.Configuration);
builder.Services.AddAuditTrail();
builder.Services.AddDocuments(builder.Configuration);
builder.Services.AddMail(builder.Configuration);
builder.Services.AddConcordatAccounts();
builder.Services.AddViewer();
builder.Services.AddSingleSignOn(builder.Configuration);
builder.Services.AddSignInRateLimit();
// Keys that protect sign-in cookies and anti-forgery tokens survive restarts and are shared by every node: in the database.
builder.Services.AddDataProtection().SetApplicationName("Concordat").PersistKeysToDbContext<ConcordatDb>();
builder.Services.AddScoped<Concordat.Accounts.People.PeopleCommands>();
builder.Services.AddSearch(builder.Configuration);
builder.Services.AddHealth();
builder.Services.AddMetrics(builder.Configuration);
builder.Services.AddProxySupport(builder.Configuration);
builder.Services.AddScoped<AgreementCommands>();
// Merging organisations: the registry moves its memberships; each feature that refers to organisations moves its own rows.
builder.Services.AddScoped<Concordat.Organisations.Merging.OrganisationMerge>();
builder.Services.AddScoped<Concordat.Organisations.Merging.IOrganisationReferences, AgreementOrganisationReferences>();
builder.Services.AddScoped<Concordat.Organisations.Merging.IOrganisationReferences, Concordat.Accounts.People.InvitationOrganisationReferences>();
builder.Services.AddScoped<Concordat.Organisations.Merging.IOrganisationReferences, Concordat.Templates.SignOff.SignOffOrganisationReferences>();
builder.Services.AddScoped<TemplateCommands>();
builder.Services.AddScoped<Concordat.Templates.SignOff.SignOffCommands>();
builder.Services.AddScoped<Concordat.Templates.Departures.DepartureCommands>();
builder.Services.AddScoped<Concordat.Templates.Drafting.DraftCommands>();
builder.Services.AddSingleton(new Concordat.Agreements.Compliance.ComplianceRules(builder.Configuration.GetValue("Concordat:Compliance:MaxReviewYears", 3)));
builder.Services.AddScoped<FileUploader>();
builder.Services.AddScoped<Importer>();
builder.Services.AddScoped<ImportStaging>();
builder.Services.AddSingleton<IBlobReferences, StagedImportBlobs>();
builder.Services.AddSingleton<ImportJobs>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<ImportJobs>());
builder.Services.AddSingleton<TextRecognitionSignal>();
builder.Services.AddHostedService<TextRecognition>();
builder.Services.AddSingleton<BlobSweeper>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<BlobSweeper>());
builder.Services.AddScoped<DemoData>();
builder.Services.AddScoped<DemoDrafts>();
builder.Services.AddRazorPages(o =>
{
    // Pages live in their feature folders (Agreements/, Organisations/, Accounts/ ...), not under /Pages.
    o.RootDirectory = "/";
    o.Conventions.AuthorizeFolder("/Agreements/Edit", AccountSetup.EditorsPolicy);
    o.Conventions.AuthorizePage("/Import/Index", AccountSetup.EditorsPolicy);
    o.Conventions.AuthorizePage("/Import/Job", AccountSetup.EditorsPolicy);
    o.Conventions.AuthorizePage("/Templates/Edit");
    o.Conventions.AuthorizePage("/Templates/Questions");
    o.Conventions.AuthorizeFolder("/Templates/Drafting", AccountSetup.EditorsPolicy);
    o.Conventions.AuthorizeFolder("/Templates/SignOff", AccountSetup.EditorsPolicy);
    o.Conventions.AuthorizePage("/Agreements/Compliance/Index");
    // One page adds an organisation and changes one: /organisations/new as well as /organisations/{id}/details.
    o.Conventions.AddPageRoute("/Organisations/Registry", "/organisations/new");
});
builder.Services.AddProblemDetails();
// Binding failures throw, so ClientErrors can say which field was wrong instead of an empty 400.
builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
    o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
});
builder.Services.AddOpenApi("v1", o => o.AddDocumentTransformer((doc, _, _) =>
{
    doc.Info.Title = "Concordat API";
    doc.Info.Description = "The register of data sharing agreements. Authenticate with a personal API token: 'Authorization: Bearer <token>'.";
    return Task.CompletedTask;
}));

var app = builder.Build();

// Start-up: the database's schema (migrated here in Development and Testing, by `concordat migrate` elsewhere), then the
// region's organisations, the starter templates, the administrator and demo data, seeded by one node at a time.
if (args is ["migrate", ..]) return await Concordat.Cli.CommandLine.RunAsync(app.Services, args, Console.Out, Console.Error);
if (DatabaseSetup.MigratesOnStart(app.Environment, app.Configuration)) await DatabaseSetup.MigrateAsync(app.Services);
else if (await DatabaseSetup.PendingMigrationsAsync(app.Services) is { Count: > 0 } pending)
{
    Console.Error.WriteLine($"The database needs {pending.Count} migration(s) ({string.Join(", ", pending)}). Run `concordat migrate` once, then start the app.");
    return 1;
}
if (Concordat.Cli.CommandLine.RunsBeforeSeeding(args)) return await Concordat.Cli.CommandLine.RunAsync(app.Services, args, Console.Out, Console.Error);
await using (await DatabaseSetup.StartUpLockAsync(app.Services))
{
    await using (var scope = app.Services.CreateAsyncScope())
    {
        await RegionSeed.EnsureSeededAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>());
        await TemplateLibrarySeed.EnsureSeededAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), scope.ServiceProvider.GetRequiredService<TimeProvider>());
    }
    await AccountSetup.EnsureAdministratorAsync(app.Services, app.Configuration, app.Logger);
}

// A command-line verb (concordat token create ...) runs and exits without starting the web server.
if (Concordat.Cli.CommandLine.IsCommand(args))
    return await Concordat.Cli.CommandLine.RunAsync(app.Services, args, Console.Out, Console.Error);

// Demo data only in Development (and the tests' own environment), whatever the setting says: a production register never
// gets invented agreements.
if ((app.Environment.IsDevelopment() || app.Environment.IsEnvironment("Testing")) && app.Configuration.GetValue("Concordat:DemoData", true))
{
    await using var scope = app.Services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<DemoData>().EnsureAsync();
    // The demo register is small: index it before serving, so the first search already finds all of it.
    await app.Services.GetRequiredService<Concordat.Search.SearchIndex>().ApplyPendingAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), CancellationToken.None);
    if (app.Environment.IsDevelopment() && app.Configuration["Concordat:Admin:Password"] is { Length: > 0 } demoPassword)
        await DemoPeople.EnsureAsync(app.Services, demoPassword);
}

// Middleware
// Behind a TLS proxy: the client's address and scheme from the proxies named in Concordat:ForwardedHeaders, and only from them.
app.UseProxySupport();
// A client's malformed or oversized request is its error (4xx with what was wrong), not ours.
app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = ClientErrors.HandleAsync });
app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
// Routing after the status code pages, so a re-executed /error/{code} request is routed again.
app.UseRouting();
if (!app.Environment.IsDevelopment()) app.UseHsts();
app.UseMiddleware<SecurityHeaders>();
app.UseStaticFiles();
app.UseMiddleware<UploadSizeGuard>();
app.UsePasswordAttemptLimit();
app.UseAuthentication();
app.UseMiddleware<InvalidTokenRefusal>();
app.UseViewer();
app.UseAuthorization();
app.UseAntiforgery();

// Endpoints
app.MapOpenApi("/openapi/{documentName}.json");
var api = app.MapGroup("/api/v1");
api.MapTokenEndpoints();
api.MapOrganisationEndpoints();
api.MapAgreementEndpoints();
api.MapSearchEndpoints();
app.MapRegisterExport(api);
app.MapOpenData();
app.MapImport();
app.MapFileDownloads();
app.MapRazorPages();
app.MapHealth();
app.MapMetrics();

await app.RunAsync();
return 0;

/// <summary>Entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
