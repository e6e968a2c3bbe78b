using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements.Edit;

/// <summary>
/// Changes a record. The lead organisation's editors (and framework administrators) get the whole form; a party's
/// editor gets the data flows their own organisation sends, with the rest shown and who can change it named.
/// </summary>
public sealed class EditAgreementModel(ConcordatDb db, AgreementCommands commands, Viewer viewer, TimeProvider clock) : AgreementFormPage(db, viewer)
{
    public string Reference { get; private set; } = "";
    public int Id { get; private set; }
    /// <summary>A draft made from a template's answers, which regenerate its documents and the fields they cover.</summary>
    public bool DraftedFromTemplate { get; private set; }
    /// <summary>False for a party's editor, who changes only what their organisation contributes.</summary>
    public bool MayChangeEverything { get; private set; } = true;
    public string LeadName { get; private set; } = "";
    public string? Contact { get; private set; }
    /// <summary>For a party's editor: the organisations they send data flows for, and the flows the other organisations send.</summary>
    public IReadOnlyList<GovukForm.Option> OwnOrganisations { get; private set; } = [];
    public IReadOnlyList<DataFlow> OthersFlows { get; private set; } = [];
    public override bool MayHandOver => MayChangeEverything;
    public override string Heading => MayChangeEverything ? "Edit the record" : "Change your organisation's data flows";
    public override string SubmitText => MayChangeEverything ? "Save changes" : "Save data flows";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindForEditAsync(Db, Viewer, id, ct);
        if (agreement is null) return StatusCode(await AgreementRefusal.StatusAsync(Db, Viewer, id, "edit", clock, ct));
        await DescribeAsync(agreement, ct);
        FillForm(agreement.ToInput());
        if (!MayChangeEverything) Input.DataFlows = Input.DataFlows?.Where(f => IsOwn(f.FromOrganisationId)).ToList();
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindForEditAsync(Db, Viewer, id, ct);
        if (agreement is null) return StatusCode(await AgreementRefusal.StatusAsync(Db, Viewer, id, "update", clock, ct));
        await DescribeAsync(agreement, ct);
        AgreementInput submitted;
        if (MayChangeEverything)
        {
            ReadForm();
            submitted = Input;
        }
        else
        {
            // Only the flows are on this form; everything else is the record as stored. The posted rows come first, so an
            // error on row i of the form is dataFlows[i], as on the full form.
            submitted = agreement.ToInput();
            submitted.DataFlows = [.. Input.DataFlows ?? [], .. submitted.DataFlows!.Where(f => !IsOwn(f.FromOrganisationId))];
        }
        var leadBefore = agreement.LeadOrganisationId;
        var result = await commands.UpdateAsync(agreement, submitted, Viewer, ct);
        if (result.Saved)
        {
            TempData["Notice"] = "Your changes are saved.";
            // Handing the lead to another organisation can take a draft out of the person's sight.
            var stillSeen = leadBefore == agreement.LeadOrganisationId || await Db.Agreements.VisibleTo(Viewer).AnyAsync(a => a.Id == id, ct);
            if (!stillSeen) TempData["Notice"] = "The agreement now has a new lead organisation, whose editors keep it. Every party has been told by email.";
            return Redirect(stillSeen ? $"/agreements/{id}" : "/agreements");
        }
        if (result.Forbidden) Response.StatusCode = StatusCodes.Status403Forbidden;
        ShowErrors(result.Errors);
        await LoadChoicesAsync(ct);
        return Page();
    }

    async Task DescribeAsync(Agreement agreement, CancellationToken ct)
    {
        (Id, Reference, DraftedFromTemplate) = (agreement.Id, agreement.Reference, agreement.ChangesThroughItsDraft);
        MayChangeEverything = AgreementAccess.MayChangeEverything(Viewer, agreement.LeadOrganisationId);
        LeadName = await Db.Organisations.Where(o => o.Id == agreement.LeadOrganisationId).Select(o => o.Name).SingleAsync(ct);
        Contact = agreement.ContactEmail;
        if (MayChangeEverything) return;
        var own = AgreementAccess.ContributesFor(Viewer, agreement.Parties.Select(p => p.OrganisationId));
        OwnOrganisations = await Db.Organisations.Where(o => own.Contains(o.Id)).OrderBy(o => o.Name)
            .Select(o => new GovukForm.Option(o.Id.ToString(), o.Name)).ToListAsync(ct);
        OthersFlows = await Db.Set<DataFlow>().AsNoTracking().Include(f => f.FromOrganisation).Include(f => f.ToOrganisation)
            .Where(f => f.AgreementId == agreement.Id && !own.Contains(f.FromOrganisationId)).ToListAsync(ct);
    }

    bool IsOwn(int? organisationId) => OwnOrganisations.Any(o => o.Value == organisationId?.ToString());
}
