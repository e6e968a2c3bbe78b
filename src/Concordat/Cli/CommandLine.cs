using System.CommandLine;
using System.Globalization;
using Concordat.Accounts;
using Concordat.Accounts.People;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Search;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Cli;

/// <summary>
/// Verbs of the same executable, for people with shell access to the server:
/// <c>concordat token create --email … [--read-only] [--expires 30|2027-03-31] [--name …]</c>,
/// <c>concordat invite --email … --organisation … [--role administrator] [--url https://…]</c>,
/// <c>concordat migrate</c>, <c>concordat backup --to dir</c>, <c>concordat restore --from dir</c>,
/// <c>concordat move-data --to-postgres "…"</c>, <c>concordat audit verify</c>, <c>concordat search verify</c>, <c>concordat reindex</c>,
/// <c>concordat import --manifest m.csv [--files dir] [--dry-run] [--as-draft] [--add-organisations] [--as email]</c>.
/// They run against the configured database, with the web server not started.
/// </summary>
public static partial class CommandLine
{
    static readonly string[] Verbs = ["migrate", "backup", "restore", "move-data", "token", "audit", "invite", "search", "reindex", "import"];

    /// <summary>Verbs that run before the start-up seeding: a restore or a move needs its target as empty as migrating left it.</summary>
    public static bool RunsBeforeSeeding(string[] args) => args is ["migrate" or "backup" or "restore" or "move-data", ..];

    public static bool IsCommand(string[] args) => args.Length > 0 && Verbs.Contains(args[0]);

    public static Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter errors)
    {
        var root = new RootCommand("Concordat: the register of data sharing agreements")
        {
            MigrateCommand(services, output),
            BackupCommand(services, output, errors),
            RestoreCommand(services, output, errors),
            MoveDataCommand(services, output, errors),
            TokenCommand(services, output, errors),
            AuditCommand(services, output, errors),
            InviteCommand(services, output, errors),
            SearchCommand(services, output, errors),
            ReindexCommand(services, output),
            ImportCommand(services, output, errors),
        };
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
    }

    static Command MigrateCommand(IServiceProvider services, TextWriter output)
    {
        var migrate = new Command("migrate", "Bring the database's schema up to date: once per release, before the app starts (outside Development it will not start until this has run)");
        migrate.SetAction(async (_, ct) =>
        {
            var applied = await DatabaseSetup.MigrateAsync(services, ct);
            await output.WriteLineAsync(applied == 0 ? "The database is up to date: no migration to apply." : $"Applied {applied} migration(s): the database is up to date.");
            return 0;
        });
        return migrate;
    }

    static Command TokenCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var email = new Option<string>("--email") { Required = true, Description = "The person the token acts for" };
        var readOnly = new Option<bool>("--read-only") { Description = "The token can read but change nothing" };
        var expires = new Option<string>("--expires") { Description = $"Days it lasts, or the date it ends (YYYY-MM-DD); default {TokenEndpoints.DefaultLifetimeDays} days" };
        var name = new Option<string>("--name") { Description = "A name to tell it apart, such as the system that uses it", DefaultValueFactory = _ => "Command line" };
        var create = new Command("create", "Issue a personal API token and print it (it is shown only once)") { email, readOnly, expires, name };
        create.SetAction(async (parse, ct) =>
        {
            var clock = services.GetRequiredService<TimeProvider>();
            if (!TryLifetime(parse.GetValue(expires), clock.GetUtcNow(), out var lifetime))
            {
                await errors.WriteLineAsync($"--expires must be a number of days from 1 to {TokenEndpoints.MaxLifetimeDays}, or a date within that, like 2027-03-31");
                return 2;
            }
            await using var scope = services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var user = await users.FindByEmailAsync(parse.GetValue(email)!.Trim());
            if (user is null)
            {
                await errors.WriteLineAsync($"No account has the email address {parse.GetValue(email)}");
                return 1;
            }
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            var (token, secret) = TokenEndpoints.Issue(user.Id, parse.GetValue(name) ?? "Command line", lifetime, clock, parse.GetValue(readOnly));
            await TokenEndpoints.SaveIssuedAsync(db, token, user.Email!, "command line", "command line", clock);
            // The token alone on standard output, so a script can capture it; the rest on standard error.
            await output.WriteLineAsync(secret);
            await errors.WriteLineAsync($"Token {token.Prefix}… for {user.Email}, {(token.ReadOnly ? "read only" : "read and change")}, expires {token.ExpiresAt:yyyy-MM-dd}");
            return 0;
        });
        return new Command("token", "Personal API tokens") { create };
    }

    static Command AuditCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var verify = new Command("verify", "Check the audit trail's hash chain from the first event to the last");
        verify.SetAction(async (_, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            var (count, broken, why) = await Audit.AuditTrail.VerifyAsync(db, ct);
            if (broken is null)
            {
                await output.WriteLineAsync($"The audit trail is intact: {count} events checked.");
                return 0;
            }
            await errors.WriteLineAsync($"The audit trail is broken at event {broken.Id} ({broken.Action} on {broken.Subject} at {broken.At:O}): {why}. {count} events before it are intact.");
            return 1;
        });
        return new Command("audit", "The audit trail") { verify };
    }

    /// <summary>Invites a person (the first administrator of an organisation, say) as the service itself.</summary>
    static Command InviteCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var email = new Option<string>("--email") { Required = true, Description = "The person to invite" };
        var organisation = new Option<string>("--organisation") { Required = true, Description = "Its name, GSS or ODS code" };
        var roles = new Option<string[]>("--role") { Description = "editor, data-protection-officer, signatory, administrator (repeat for several)", AllowMultipleArgumentsPerToken = true };
        var url = new Option<string>("--url") { Description = "The address people open Concordat at; default Concordat:PublicUrl" };
        var invite = new Command("invite", "Invite a person to an organisation by email") { email, organisation, roles, url };
        invite.SetAction(async (parse, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            var key = parse.GetValue(organisation)!.Trim();
            var found = await db.Organisations.Where(o => o.Name == key || o.GssCode == key || o.OdsCode == key).ToListAsync(ct);
            if (found.Count != 1)
            {
                await errors.WriteLineAsync($"No organisation has the name or code '{key}'. Names are as on the Organisations page, for example \"London Fire Brigade\"");
                return 1;
            }
            var problems = new Shared.FieldErrors();
            var granted = OrganisationRoles.Parse(parse.GetValue(roles) ?? [], problems);
            var site = parse.GetValue(url) ?? scope.ServiceProvider.GetRequiredService<PublicSite>().BaseUrl;
            var people = scope.ServiceProvider.GetRequiredService<PeopleCommands>();
            var (delivery, invalid) = problems.Count > 0 ? (null, problems)
                : await people.InviteAsync(Viewer.Process("command line"), found[0], parse.GetValue(email), granted, site, ct);
            if (delivery is null)
            {
                foreach (var message in invalid.SelectMany(e => e.Value)) await errors.WriteLineAsync(message);
                return 2;
            }
            await output.WriteLineAsync($"Invited {delivery.To} to {found[0].Name} as {granted.DescribeAll()}. {delivery.Summary}");
            return 0;
        });
        return invite;
    }

    /// <summary>Compares this node's search index with the database and names every difference.</summary>
    static Command SearchCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var verify = new Command("verify", "Compare the search index with the database, agreement by agreement");
        verify.SetAction(async (_, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            var root = Search.SearchSetup.IndexFolder(scope.ServiceProvider.GetRequiredService<IConfiguration>());
            var opened = Search.SearchIndex.OpenReader(root);
            if (opened is null)
            {
                await errors.WriteLineAsync($"There is no search index at {Path.GetFullPath(root)} yet. Start the app, or run: concordat reindex");
                return 1;
            }
            using var reader = opened.Value.Reader;
            var differences = await Search.SearchVerification.DifferencesAsync(reader, db, ct);
            var pending = await db.SearchOutbox.CountAsync(e => e.Id > opened.Value.AppliedSequence, ct);
            if (differences.Count == 0)
            {
                await output.WriteLineAsync($"The search index matches the database: {reader.NumDocs} agreements.");
                return 0;
            }
            foreach (var difference in differences) await errors.WriteLineAsync(difference);
            await errors.WriteLineAsync($"{differences.Count} differences." + (pending > 0
                ? $" {pending} changes are waiting to be applied; the app applies them when it runs."
                : " Run: concordat reindex"));
            return 1;
        });
        return new Command("search", "The search index") { verify };
    }

    /// <summary>Rebuilds the search index from the database beside the live one, then swaps it in.</summary>
    static Command ReindexCommand(IServiceProvider services, TextWriter output)
    {
        var reindex = new Command("reindex", "Rebuild the search index from the database; a running app swaps to it and keeps answering meanwhile");
        reindex.SetAction(async (_, ct) =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
            var root = Search.SearchSetup.IndexFolder(scope.ServiceProvider.GetRequiredService<IConfiguration>());
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (generation, count) = await Search.SearchIndex.RebuildAsync(root, db, ct);
            await output.WriteLineAsync($"Indexed {count} agreements into {generation} in {watch.Elapsed.TotalSeconds:0.0} s.");
            return 0;
        });
        return reindex;
    }

    static bool TryLifetime(string? text, DateTimeOffset now, out TimeSpan lifetime)
    {
        lifetime = TimeSpan.FromDays(TokenEndpoints.DefaultLifetimeDays);
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (int.TryParse(text, out var days)) lifetime = TimeSpan.FromDays(days);
        else if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            lifetime = date.ToDateTime(TimeOnly.MaxValue, DateTimeKind.Utc) - now.UtcDateTime;
        else return false;
        return lifetime > TimeSpan.Zero && lifetime <= TimeSpan.FromDays(TokenEndpoints.MaxLifetimeDays);
    }

    /// <summary>
    /// A path as the person typed it, from the folder they typed it in. <c>dotnet run --project</c> runs the app in the
    /// project's folder, so a relative path would otherwise be read from there; the shell's own folder is in PWD.
    /// </summary>
    public static string FromCallersFolder(string path)
    {
        var callers = Environment.GetEnvironmentVariable("PWD");
        var from = callers is { Length: > 0 } && Path.IsPathFullyQualified(callers) && Directory.Exists(callers) ? callers : Environment.CurrentDirectory;
        return Path.GetFullPath(path, from);
    }
}
