using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements.Compliance;

/// <summary>
/// Where the register falls short: the compliance rules run over every agreement the person may see, counted rule by
/// rule, with the agreements that fail a chosen rule listed.
/// </summary>
public sealed class ComplianceOverviewModel(ConcordatDb db, Viewer viewer, ComplianceRules rules, TimeProvider clock) : PageModel
{
    public sealed record RuleTally(string Rule, string Name, string Principle, int Fails, int Warnings, int Met);

    public IReadOnlyList<RuleTally> Tallies { get; private set; } = [];
    public int Agreements { get; private set; }
    public int FailingAny { get; private set; }
    /// <summary>The rule chosen to list its failing agreements, if any.</summary>
    public RuleTally? Chosen { get; private set; }
    public IReadOnlyList<(Agreement Agreement, RuleResult Result)> Failing { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync([FromQuery] string? rule, CancellationToken ct)
    {
        if (!viewer.IsPartner) return StatusCode(StatusCodes.Status403Forbidden);
        // Every visible agreement in memory: fine for the hundreds a region holds; a register of tens of thousands
        // would keep the verdicts beside each agreement instead.
        var agreements = await db.Agreements.AsNoTracking().AsSplitQuery().VisibleTo(viewer)
            .Include(a => a.Parties).ThenInclude(p => p.Organisation).Include(a => a.DataFlows).Include(a => a.Files)
            .OrderBy(a => a.Reference).ToListAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var checks = agreements.Select(a => (Agreement: a, Results: rules.Check(a, today))).ToList();
        Agreements = checks.Count;
        FailingAny = checks.Count(c => c.Results.Any(r => r.Outcome == RuleOutcome.Fail));
        // Every rule is listed, with zeros when nothing is visible: the rules themselves are public knowledge.
        var verdicts = checks.SelectMany(c => c.Results).ToLookup(r => r.Rule);
        Tallies = rules.Check(new Agreement { Title = "" }, today).Select(r => new RuleTally(r.Rule, r.Name, r.Principle,
                verdicts[r.Rule].Count(v => v.Outcome == RuleOutcome.Fail), verdicts[r.Rule].Count(v => v.Outcome == RuleOutcome.Warning),
                verdicts[r.Rule].Count(v => v.Outcome == RuleOutcome.Pass)))
            .ToList();
        if (rule is not null)
        {
            Chosen = Tallies.SingleOrDefault(t => t.Rule == rule);
            if (Chosen is null) return NotFound();
            Failing = checks.Select(c => (c.Agreement, c.Results.Single(r => r.Rule == rule))).Where(c => c.Item2.Outcome != RuleOutcome.Pass)
                .OrderByDescending(c => c.Item2.Outcome).ToList();
        }
        return Page();
    }
}
