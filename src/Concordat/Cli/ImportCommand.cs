using System.CommandLine;
using Concordat.Import;
using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;

namespace Concordat.Cli;

public static partial class CommandLine
{
    /// <summary>
    /// concordat import: a folder of existing agreements with its CSV manifest. Progress goes to standard error, the
    /// report to standard output. Exit 0 when every row is in, 1 when some rows need correcting, 2 when the manifest
    /// itself cannot be used.
    /// </summary>
    static Command ImportCommand(IServiceProvider services, TextWriter output, TextWriter errors)
    {
        var manifest = new Option<string>("--manifest") { Required = true, Description = "The CSV manifest: one row per agreement" };
        var files = new Option<string>("--files") { Description = "The folder the manifest's paths are relative to (default: the manifest's folder)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Check everything and say what would happen, changing nothing" };
        var asDraft = new Option<bool>("--as-draft") { Description = "Leave every imported agreement as a draft, even when complete" };
        var addOrganisations = new Option<bool>("--add-organisations") { Description = "Add organisations the registry does not know (listed in the report)" };
        var actAs = new Option<string>("--as") { Description = "Import as this person, with their rights (default: the service, for any organisation)" };
        var command = new Command("import", "Import existing agreements from a CSV manifest and a folder of files")
            { manifest, files, dryRun, asDraft, addOrganisations, actAs };
        command.SetAction(async (parse, ct) =>
        {
            var manifestFile = new FileInfo(CommandLine.FromCallersFolder(parse.GetValue(manifest)!));
            if (!manifestFile.Exists)
            {
                await errors.WriteLineAsync($"There is no manifest at {manifestFile.FullName}");
                return 2;
            }
            var folder = parse.GetValue(files) is { } given ? CommandLine.FromCallersFolder(given) : manifestFile.DirectoryName!;
            if (!Directory.Exists(folder))
            {
                await errors.WriteLineAsync($"There is no folder {folder}");
                return 2;
            }
            await using var scope = services.CreateAsyncScope();
            var viewer = Viewer.Process("import (command line)");
            if (parse.GetValue(actAs) is { } email)
            {
                var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
                var user = await users.FindByEmailAsync(email.Trim());
                if (user is null)
                {
                    await errors.WriteLineAsync($"No account has the email address {email}");
                    return 2;
                }
                viewer = await Accounts.PersonViewer.LoadAsync(scope.ServiceProvider, user, ct);
            }
            var options = new ImportOptions(parse.GetValue(dryRun), parse.GetValue(asDraft), parse.GetValue(addOrganisations));
            var progress = new Progress<(int Done, int Total)>(p =>
            {
                if (p.Done == p.Total || p.Done % Math.Max(1, p.Total / 20) == 0)
                    errors.WriteLine($"[{new string('#', p.Done * 30 / p.Total),-30}] {p.Done} of {p.Total} agreements");
            });
            var report = await scope.ServiceProvider.GetRequiredService<Importer>()
                .RunAsync(await File.ReadAllBytesAsync(manifestFile.FullName, ct), folder, viewer, options, progress, ct);
            await output.WriteAsync(ImportReportText.Write(report, options));
            return !report.CanRun ? 2 : report.Count(RowOutcome.Invalid, RowOutcome.Failed) > 0 ? 1 : 0;
        });
        return command;
    }
}
