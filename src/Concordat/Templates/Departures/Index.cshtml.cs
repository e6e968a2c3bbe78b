using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Shared;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates.Departures;

/// <summary>
/// Where an agreement departs from its template's fixed wording, word by word, for anyone who may see the agreement;
/// framework approvers approve the departure here, each saying what advice they took.
/// </summary>
public sealed class DeparturesModel(ConcordatDb db, DepartureCommands commands, Viewer viewer) : FormPage
{
    public Agreement Agreement { get; private set; } = null!;
    public TemplateDeparture Departure { get; private set; } = null!;
    public int ApprovalsNeeded => commands.ApprovalsNeeded;
    [BindProperty] public string? Advice { get; set; }
    [TempData] public string? Notice { get; set; }

    /// <summary>A framework approver who neither made the change nor has approved it yet, while approval is still wanted.</summary>
    public bool MayApprove => viewer.IsFrameworkAdministrator && viewer.MayChange && Departure.ApprovedAt is null && Agreement.Status == AgreementStatus.Draft
        && Departure.Approvals.All(a => a.UserId != viewer.UserId) && Departure.RecordedByUserId != viewer.UserId;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        // Two approvers at once: the one whose save finds the approvals changed reads them again and adds to them.
        var outcome = await ConcurrentWrites.RetryAsync(db, async () =>
            await LoadAsync(id, ct) ? new { Refused = await commands.ApproveAsync(Agreement, Departure, Advice, viewer, ct) } : null);
        if (outcome is null) return NotFound();
        if (outcome.Refused is { } refused)
        {
            Errors.Add("advice", refused);
            return Page();
        }
        Notice = Departure.ApprovedAt is null
            ? $"Your approval is recorded. {ApprovalsNeeded - Departure.Approvals.Count} more needed."
            : "The departure is approved: the lead organisation can send the agreement for sign-off.";
        return Redirect($"/agreements/{id}/departures");
    }

    async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        if (await db.Agreements.AsNoTracking().VisibleTo(viewer).SingleOrDefaultAsync(a => a.Id == id, ct) is not { } agreement
            || await commands.FindAsync(id, ct) is not { } departure) return false;
        (Agreement, Departure) = (agreement, departure);
        return true;
    }
}
