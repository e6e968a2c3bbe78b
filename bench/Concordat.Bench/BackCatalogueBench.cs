using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Concordat.Data;
using Concordat.Import;
using Concordat.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Concordat.Bench;

/// <summary>
/// A real published register, written by others, turned into an import manifest and imported as a framework
/// administrator would (a dry run, then the import, adding the organisations nobody knows): every row must go in or be
/// named, and no organisation of the registry may be duplicated. The register is not in this repository: point
/// --source at a folder holding a public checkout of one. This reads the release registers medConfidential published
/// as HTML tables (Public Health England's data release register, and the organisations NHS Digital released data to):
///
///   git -C MIRROR archive HEAD medconfidential | tar -x -C /tmp/register
///   dotnet run -c Release --project bench/Concordat.Bench -- backcatalogue --source /tmp/register/medconfidential
/// </summary>
static class BackCatalogueBench
{
    sealed record Release(string Reference, string Recipient, string RecipientType, string Purpose, string Legal, string Date, string DataType);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["--source", var source] || !Directory.Exists(source))
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Concordat.Bench -- backcatalogue --source FOLDER (a checkout of a published register)");
            return 2;
        }
        var releases = Directory.EnumerateFiles(source, "*Details.html", SearchOption.AllDirectories).SelectMany(ReadReleases)
            .DistinctBy(r => r.Reference).ToList();
        var recipients = Directory.EnumerateFiles(source, "allOrgs.html", SearchOption.AllDirectories).SelectMany(f => Table(f).Skip(1).Select(r => r[0]))
            .Where(n => n.Length > 0).Distinct().ToList();
        Directory.SetCurrentDirectory(AppContext.BaseDirectory);
        MachineInfo.Announce($"Concordat back-catalogue run: {releases.Count} releases and {recipients.Count} recipient organisations from {source}");

        var folder = Directory.CreateTempSubdirectory("concordat-backcatalogue-").FullName;
        var manifest = new StringBuilder("title,lead_organisation,files,local_reference,purpose,parties,legal_powers,start_date,sensitivity,status,visibility,organisation_type\r\n");
        foreach (var r in releases)
        {
            var file = $"{Slug(r.Reference)}.txt";
            await File.WriteAllTextAsync(Path.Combine(folder, file), $"{r.Reference}: release to {r.Recipient}\n\n{r.Purpose}\n\nLegal basis: {r.Legal}\nData: {r.DataType}");
            manifest.AppendLine(string.Join(',', Csv($"Data release {r.Reference} to {r.Recipient}"), "Public Health England", file, Csv(r.Reference), Csv(r.Purpose),
                Csv($"Public Health England (discloser); {r.Recipient} (recipient)"), Csv(r.Legal), r.Date,
                r.DataType.Contains("identifiable", StringComparison.OrdinalIgnoreCase) && !r.DataType.StartsWith("De-", StringComparison.OrdinalIgnoreCase) ? "personal" : "anonymised",
                "active", "public", Csv($"Public Health England: other-public-body; {r.Recipient}: {TypeOf(r.RecipientType)}")));
        }
        foreach (var (name, i) in recipients.Select((n, i) => (n, i)))
        {
            var file = $"recipient-{i}.txt";
            await File.WriteAllTextAsync(Path.Combine(folder, file), $"NHS Digital released data to {name} (data release register, September to November 2017).");
            manifest.AppendLine(string.Join(',', Csv($"NHS Digital data release to {name}"), "Public Health England", file, $"NHSD-{i}", "", Csv($"Public Health England (discloser); {name} (recipient)"), "", "", "", "", "public", ""));
        }
        var bytes = Encoding.UTF8.GetBytes(manifest.ToString());
        var rowCount = releases.Count + recipients.Count;

        await using var app = new BenchApp(kestrel: false);
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<Importer>();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var seeded = await db.Organisations.AsNoTracking().ToListAsync();
        var viewer = Viewer.Process("back-catalogue run");

        var clock = Stopwatch.StartNew();
        var dry = await importer.RunAsync(bytes, folder, viewer, new ImportOptions(DryRun: true, AddOrganisations: true), null, CancellationToken.None);
        var dryTime = clock.Elapsed;
        clock.Restart();
        var real = await importer.RunAsync(bytes, folder, viewer, new ImportOptions(AddOrganisations: true), null, CancellationToken.None);
        var realTime = clock.Elapsed;

        var problems = real.ManifestProblems.Concat(real.Rows.SelectMany(r => r.Problems)).ToList();
        var inOrNamed = real.Rows.Count(r => r.Outcome is RowOutcome.Created or RowOutcome.Updated || r.Problems.Count > 0 || r.UnknownOrganisations.Count > 0);
        var added = await db.Organisations.AsNoTracking().Where(o => !seeded.Select(s => s.Id).Contains(o.Id)).ToListAsync();
        // A duplicate: an added organisation that the usual variants of a seeded body's name (or another added one's) already cover.
        var seededVariants = seeded.SelectMany(o => new[] { o.Name, o.ShortName }.OfType<string>().Select(OrganisationMatcher.Variant)).ToHashSet();
        var duplicates = added.Where(o => seededVariants.Contains(OrganisationMatcher.Variant(o.Name))).Select(o => o.Name)
            .Concat(added.GroupBy(o => OrganisationMatcher.Variant(o.Name)).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g.Select(o => o.Name)))).ToList();
        var londonWritten = recipients.Where(n => Regex.IsMatch(n, @"LONDON BOROUGH|ROYAL BOROUGH|CITY OF WESTMINSTER|WESTMINSTER CITY")).ToList();
        var londonFound = londonWritten.Count(n => new OrganisationMatcher(seeded).Find(n) is not null);

        Console.WriteLine();
        Console.WriteLine("| what | figure |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine($"| rows in the manifest | {rowCount:N0} |");
        Console.WriteLine($"| imported (published / draft) | {real.Count(RowOutcome.Created, RowOutcome.Updated):N0} ({real.Rows.Count(r => r.Published):N0} / {real.Rows.Count(r => r.Outcome == RowOutcome.Created && !r.Published):N0}) |");
        Console.WriteLine($"| rows neither imported nor named in the report | {rowCount - inOrNamed:N0} |");
        Console.WriteLine($"| problems reported (errors / warnings) | {problems.Count(p => !p.IsWarning):N0} / {problems.Count(p => p.IsWarning):N0} |");
        Console.WriteLine($"| London boroughs as the register writes them, found in the registry | {londonFound} of {londonWritten.Count} |");
        Console.WriteLine($"| organisations added (named in the report) | {added.Count:N0} |");
        Console.WriteLine($"| organisations duplicated | {duplicates.Count} |");
        Console.WriteLine($"| dry run | {dryTime.TotalSeconds:0.0} s |");
        Console.WriteLine($"| import | {realTime.TotalSeconds:0.0} s ({rowCount / realTime.TotalSeconds:0.0} rows/s) |");
        foreach (var problem in problems.Where(p => !p.IsWarning).Take(10)) Console.WriteLine($"  error: {problem}");
        foreach (var duplicate in duplicates) Console.WriteLine($"  duplicated: {duplicate}");
        foreach (var missed in londonWritten.Where(n => new OrganisationMatcher(seeded).Find(n) is null)) Console.WriteLine($"  London body not found: {missed}");
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        return rowCount == inOrNamed && duplicates.Count == 0 ? 0 : 1;
    }

    static IEnumerable<Release> ReadReleases(string path)
    {
        var rows = Table(path).ToList();
        if (rows.Count < 2) yield break;
        var header = rows[0];
        int Column(string name) => header.FindIndex(h => h.Equals(name, StringComparison.OrdinalIgnoreCase));
        var (reference, recipient, type, purpose, legal, date, data) = (Column("ODRReference"), Column("DataRecipient"), Column("OrganisationType"),
            Math.Max(Column("Purpose"), Column("shortPurpose")), Column("LegalBasisForRelease"), Column("DateOfRelease"), Column("DataTypeProvidedTo"));
        foreach (var row in rows.Skip(1).Where(r => r.Count == header.Count))
            yield return new Release(row[reference], row[recipient], row[type], row[purpose], row[legal], row[date], row[data]);
    }

    /// <summary>The cells of every row of the HTML tables in a file, as text.</summary>
    static IEnumerable<List<string>> Table(string path) =>
        Regex.Matches(File.ReadAllText(path), "<tr.*?</tr>", RegexOptions.Singleline)
            .Select(row => Regex.Matches(row.Value, "<t[hd][^>]*>(.*?)</t[hd]>", RegexOptions.Singleline)
                .Select(c => WebUtility.HtmlDecode(Regex.Replace(c.Groups[1].Value, "<.*?>", "")).Trim()).ToList());

    static string TypeOf(string registerType) => registerType.ToLowerInvariant() switch
    {
        var t when t.Contains("university") || t.Contains("academic") => "education",
        var t when t.Contains("nhs") || t.Contains("hospital") => "nhs-trust",
        var t when t.Contains("local authority") || t.Contains("council") => "local-authority",
        var t when t.Contains("charity") || t.Contains("voluntary") => "voluntary-organisation",
        _ => "other-public-body",
    };

    static string Slug(string text) => Regex.Replace(text.ToLowerInvariant(), "[^a-z0-9]+", "-").Trim('-');

    static string Csv(string text) => $"\"{text.Replace("\"", "\"\"")}\"";
}
