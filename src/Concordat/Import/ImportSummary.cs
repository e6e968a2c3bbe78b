namespace Concordat.Import;

/// <summary>One row of a finished or checked import, as the page lists it.</summary>
/// <param name="Suggestions">Empty fields of the record that its files' text has suggestions for.</param>
/// <param name="Changes">the manifest columns an update changes</param>
public sealed record ImportedRow(int Line, string Title, int? AgreementId, string? Reference, RowOutcome Outcome, bool Published, int Suggestions,
    IReadOnlyList<string>? Changes = null);

/// <summary>
/// What the import page shows of a check or of a finished run: kept as JSON on the <see cref="ImportJob"/>, so the page
/// of a job that ran in the background, perhaps on another node, reads the same as the check did.
/// </summary>
public sealed record ImportSummary(
    bool DryRun,
    bool CanRun,
    IReadOnlyDictionary<RowOutcome, int> Counts,
    IReadOnlyList<ManifestProblem> Problems,
    IReadOnlyList<string> AddedOrganisations,
    IReadOnlyList<string> UnusedFiles,
    IReadOnlyList<ImportedRow> Rows)
{
    public static ImportSummary From(ImportReport report, ImportOptions options) => new(
        options.DryRun,
        report.CanRun,
        report.Rows.GroupBy(r => r.Outcome).ToDictionary(g => g.Key, g => g.Count()),
        report.ManifestProblems.Concat(report.Rows.SelectMany(r => r.Problems)).OrderBy(p => p.IsWarning).ThenBy(p => p.Line).ToList(),
        report.AddedOrganisations,
        report.UnusedFiles,
        report.Rows.Select(r => new ImportedRow(r.Line, r.Title, r.AgreementId, r.Reference, r.Outcome, r.Published, r.Suggestions, r.Changes)).ToList());

    public int Count(params RowOutcome[] outcomes) => outcomes.Sum(o => Counts.GetValueOrDefault(o));
}
