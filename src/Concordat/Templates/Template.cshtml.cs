using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates;

/// <summary>
/// One template version as a drafter would meet it: its questions by topic, and each section's clause rendered with
/// placeholders where the answers go, beside the guidance and whether its wording may be changed.
/// </summary>
public sealed class TemplatePageModel(ConcordatDb db, TemplateCommands commands, Viewer viewer) : FormPage
{
    public AgreementTemplate Template { get; private set; } = null!;
    public TemplateVersion Version { get; private set; } = null!;
    /// <summary>Every version the viewer may see, newest first.</summary>
    public IReadOnlyList<TemplateVersion> Versions { get; private set; } = [];
    public IReadOnlyList<(TemplateSection Section, IHtmlContent Clause)> Sections { get; private set; } = [];
    [TempData] public string? Notice { get; set; }
    [BindProperty] public string? Advice { get; set; }
    /// <summary>Framework administrators edit templates, send them for review, approve and retire them.</summary>
    public bool Administers => viewer.IsFrameworkAdministrator && viewer.MayChange;
    public int ApprovalsNeeded => commands.ApprovalsNeeded;
    /// <summary>Editors draft from the pre-approved version only.</summary>
    public bool MayDraft => Version.State == TemplateState.PreApproved && Agreements.AgreementAccess.MayCreate(viewer);
    /// <summary>Only the advice has a field to go to; a refused step is said without a link.</summary>
    public IReadOnlyList<(string? Href, string Message)> ErrorLinks =>
        Errors.SelectMany(kv => kv.Value.Select(m => (kv.Key == "advice" ? "#advice" : null, m))).ToList();
    public bool HasApproved => Version.Approvals.Any(a => a.UserId == viewer.UserId);

    public async Task<IActionResult> OnGetAsync(int id, [FromQuery(Name = "version")] int? number, CancellationToken ct) =>
        await LoadAsync(id, number, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostSendForReviewAsync(int id, int number, CancellationToken ct) =>
        ChangeAsync(id, number, TemplateState.Draft, async (template, version) =>
        {
            await commands.SendForReviewAsync(template, version, viewer, ct);
            return $"Version {number} is in review. It needs {commands.ApprovalsNeeded} approvals to be pre-approved.";
        }, ct);

    public Task<IActionResult> OnPostApproveAsync(int id, int number, CancellationToken ct) =>
        ChangeAsync(id, number, TemplateState.InReview, async (template, version) =>
        {
            if (await commands.ApproveAsync(template, version, Advice, viewer, ct) is { } refused)
            {
                Errors.Add("advice", refused);
                return null;
            }
            return version.State == TemplateState.PreApproved
                ? $"Version {number} is pre-approved: new agreements are drafted from it." : $"Your approval of version {number} is recorded.";
        }, ct);

    public Task<IActionResult> OnPostRetireAsync(int id, int number, CancellationToken ct) =>
        ChangeAsync(id, number, TemplateState.PreApproved, async (template, version) =>
        {
            await commands.RetireAsync(template, version, viewer, ct);
            return $"Version {number} is retired: no new agreement can be drafted from it.";
        }, ct);

    /// <summary>A lifecycle step on a version in the state it needs; a step the version has moved past is refused, not repeated.</summary>
    async Task<IActionResult> ChangeAsync(int id, int number, TemplateState needs, Func<AgreementTemplate, TemplateVersion, Task<string?>> change, CancellationToken ct)
    {
        if (!Administers) return StatusCode(StatusCodes.Status403Forbidden);
        // Two approvers at once: the one whose save finds the version changed reads it again and acts on it as it now is.
        var outcome = await ConcurrentWrites.RetryAsync(db, async () =>
        {
            Errors.Clear();
            var template = await commands.FindAsync(id, ct);
            var version = template?.Versions.SingleOrDefault(v => v.Number == number);
            if (template is null || version is null) return null;
            if (version.State != needs)
            {
                Errors.Add("state", $"Version {number} is {TemplateText.Describe(version.State).ToLowerInvariant()} now, so that cannot be done. The page shows where it stands.");
                return new { Notice = (string?)null };
            }
            return new { Notice = await change(template, version) };
        });
        if (outcome is null) return NotFound();
        if (outcome.Notice is { } notice)
        {
            Notice = notice;
            return Redirect($"/templates/{id}?version={number}");
        }
        await LoadAsync(id, number, ct);
        return Page();
    }

    async Task<bool> LoadAsync(int id, int? number, CancellationToken ct)
    {
        var template = await db.Templates.AsNoTracking().Include(t => t.Versions).ThenInclude(v => v.Approvals).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (template is null) return false;
        var version = number is null ? TemplateAccess.Current(template, viewer) : template.Versions.SingleOrDefault(v => v.Number == number);
        if (version is null || !TemplateAccess.MaySee(viewer, version)) return false;
        (Template, Version) = (template, version);
        Versions = template.Versions.Where(v => TemplateAccess.MaySee(viewer, v)).OrderByDescending(v => v.Number).ToList();
        var answers = ClauseAnswers.Placeholders(version.Questions, TemplateTypes.KindOf(template.Type));
        Sections = version.Sections.Select(s => (s, (IHtmlContent)new HtmlString(ClauseHtml.From(Clauses.Render(s.Clause, answers))))).ToList();
        return true;
    }
}
