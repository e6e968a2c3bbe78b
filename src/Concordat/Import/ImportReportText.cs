using System.Text;

namespace Concordat.Import;

/// <summary>An import's report as plain text, for the command line: the totals, then every problem by line and column.</summary>
public static class ImportReportText
{
    public static string Write(ImportReport report, ImportOptions options)
    {
        var text = new StringBuilder();
        if (!report.CanRun)
        {
            text.AppendLine("The manifest cannot be imported:");
            foreach (var problem in report.ManifestProblems) text.AppendLine($"  {problem}");
            return text.ToString();
        }
        text.AppendLine(options.DryRun ? "Checked, nothing changed (dry run):" : "Imported:");
        var (create, update) = options.DryRun ? (RowOutcome.Create, RowOutcome.Update) : (RowOutcome.Created, RowOutcome.Updated);
        text.AppendLine($"  {report.Count(create)} {(options.DryRun ? "to add" : "added")}");
        text.AppendLine($"  {report.Count(update)} {(options.DryRun ? "to update" : "updated")}");
        text.AppendLine($"  {report.Count(RowOutcome.Unchanged)} unchanged");
        text.AppendLine($"  {report.Count(RowOutcome.Invalid)} to correct");
        if (report.Count(RowOutcome.Failed) > 0) text.AppendLine($"  {report.Count(RowOutcome.Failed)} failed while importing");
        foreach (var name in report.AddedOrganisations)
            text.AppendLine($"  organisation {(options.DryRun ? "to add" : "added")} for review: {name}");
        var problems = report.ManifestProblems.Concat(report.Rows.SelectMany(r => r.Problems)).ToList();
        if (problems.Count > 0)
        {
            text.AppendLine("Problems:");
            foreach (var problem in problems) text.AppendLine($"  {(problem.IsWarning ? "warning" : "error")}: {problem}");
        }
        if (report.UnusedFiles.Count > 0)
        {
            text.AppendLine("Files in the folder that no row names:");
            foreach (var file in report.UnusedFiles) text.AppendLine($"  {file}");
        }
        if (options.DryRun)
            foreach (var row in report.Rows.Where(r => r.Outcome == RowOutcome.Update))
                text.AppendLine($"  row {row.Line} \"{row.Title}\": to update {string.Join(", ", row.Changes)}");
        foreach (var row in report.Rows.Where(r => r.Reference is not null && r.Outcome is RowOutcome.Created or RowOutcome.Updated))
            text.AppendLine($"  row {row.Line}: {row.Reference} {row.Title}{(row.Published ? "" : " (draft)")}" +
                (row.Suggestions > 0 ? $"; its text suggests values for {row.Suggestions} empty {(row.Suggestions == 1 ? "field" : "fields")}, to review on its page" : ""));
        return text.ToString();
    }
}
