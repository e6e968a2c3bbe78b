using System.Diagnostics;
using System.Text;
using Concordat.Templates;
using Concordat.Templates.Drafting;

namespace Concordat.Bench;

// Drafting benchmark (issue 6): the work behind a question page's live preview and behind "Create the draft agreement",
// in process, for each starter template answered in full: rendering every section from the answers (the preview
// renders them all on each request), then the accessible HTML and the Word document made from them. Writes the
// "Drafting (issue 6)" section of bench/RESULTS.md.
//
//   dotnet run -c Release --project bench/Concordat.Bench -- drafting --reps 300
//
// Options: --reps N (timed runs of each step per template, default 300), --results PATH, --no-write.

static class DraftingBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var (reps, write, results) = (300, true, (string?)null);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--reps" when i + 1 < args.Length && int.TryParse(args[i + 1], out var r) && r >= 10: reps = r; i++; break;
                case "--no-write": write = false; break;
                case "--results" when i + 1 < args.Length: results = Path.GetFullPath(args[++i]); break;
                default:
                    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Concordat.Bench -- drafting [--reps N (at least 10)] [--results PATH] [--no-write]");
                    return 2;
            }
        }
        var resultsPath = write ? results ?? ResultsFile.DefaultPath() : null;
        var machine = MachineInfo.Announce($"Drafting benchmark: {reps} runs of each step for each starter template");
        var names = new Dictionary<int, string> { [1] = "London Fire Brigade", [2] = "London Borough of Camden", [3] = "Barts Health NHS Trust" };
        var rows = new List<string>();
        var drafts = StarterLibrary.All().Select(t => (Template: new AgreementTemplate { Name = t.Name, Type = t.Type, Summary = t.Summary }, Draft: new AgreementDraft
        {
            UserId = "bench", LeadOrganisationId = 1, Answers = Answers(),
            TemplateVersion = new TemplateVersion { Number = 1, Questions = t.Questions, Sections = t.Sections, CreatedBy = "bench" },
        })).ToList();
        // Timed twice, the first pass thrown away: the first timing loop of a process ran several times slower, whichever
        // template came first (the timing loop's own compilation), and that is not a cost a person waits for.
        for (var pass = 0; pass < 2; pass++)
            foreach (var (template, draft) in drafts)
            {
                var document = new DraftDocument(template, draft, names);
                var (html, word) = (document.Html(), document.Word());
                var render = Median(reps, () => new DraftDocument(template, draft, names).SectionsHtml(3));
                var htmlTime = Median(reps, () => document.Html());
                var wordTime = Median(reps, () => document.Word());
                if (pass == 0) continue;
                var row = $"| {template.Name} | {document.Sections.Count} | {Encoding.UTF8.GetByteCount(html) / 1024.0:0.0} KB | {word.Length / 1024.0:0.0} KB | {render:0.00} ms | {htmlTime:0.00} ms | {wordTime:0.00} ms |";
                Console.WriteLine(row);
                rows.Add(row);
            }
        var report = new StringBuilder();
        report.AppendLine("## Drafting (issue 6)");
        report.AppendLine();
        report.AppendLine($"Written by the benchmark on {DateTimeOffset.Now:yyyy-MM-dd HH:mm zzz}{ResultsFile.Commit()}. Re-run with:");
        report.AppendLine();
        report.AppendLine("```");
        report.AppendLine($"dotnet run -c Release --project bench/Concordat.Bench -- drafting --reps {reps}");
        report.AppendLine("```");
        report.AppendLine();
        report.AppendLine($"Machine: {machine.Summary}; load average at the end {MachineInfo.ReadLoadAverage()}.");
        report.AppendLine();
        report.AppendLine("Each starter template answered in full, in process, median of the runs. *Render* is what a question page's");
        report.AppendLine("live preview costs on each request (every section rendered from the answers with Fluid, then Markdown to HTML");
        report.AppendLine("with Markdig); *HTML* and *Word* are the two documents \"Create the draft agreement\" stores.");
        report.AppendLine();
        report.AppendLine("| Template | Sections | HTML size | Word size | Render (preview) | Make the HTML | Make the Word document |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in rows) report.AppendLine(row);
        if (resultsPath is not null)
        {
            await ResultsFile.WriteSectionAsync(resultsPath, "drafting", report.ToString());
            Console.WriteLine($"Written to {resultsPath}");
        }
        return 0;
    }

    /// <summary>Median milliseconds of <paramref name="reps"/> runs, after a tenth as many to warm up.</summary>
    static double Median(int reps, Func<object> step)
    {
        for (var i = 0; i < reps / 10; i++) step();
        var times = new double[reps];
        for (var i = 0; i < reps; i++)
        {
            var watch = Stopwatch.StartNew();
            step();
            times[i] = watch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[reps / 2];
    }

    static Dictionary<string, string> Answers() => new()
    {
        ["title"] = "Hospital discharge fire safety", ["purpose"] = "To offer home fire safety visits to people leaving hospital.",
        ["benefits"] = "Fewer fires in the homes of people recovering from illness.", ["parties"] = "1:joint-controller\n2:joint-controller\n3:discloser",
        ["reciprocal"] = "yes", ["instructions"] = "Send the visit list weekly.", ["sub_processors"] = "no", ["data_subjects"] = "patients\nresidents",
        ["data_items"] = "Name\nAddress\nTelephone number\nDate of discharge\nRisk factors", ["frequency"] = "weekly", ["special_category"] = "yes",
        ["criminal_offence"] = "no", ["lawful_basis"] = "public-task", ["special_category_condition"] = "Article 9(2)(h), Schedule 1 paragraph 2",
        ["legal_powers"] = "Fire and Rescue Services Act 2004 s6\nCare Act 2014 s6", ["dpia"] = "done", ["dpia_summary"] = "Low risk.",
        ["privacy_notice"] = "https://www.london-fire.gov.uk/privacy", ["transfer_method"] = "secure-email", ["retention"] = "Two years, then deleted.",
        ["start_date"] = "2026-04-01", ["review_date"] = "2028-04-01", ["contact_email"] = "ig@lfb.example.gov.uk",
    };
}
