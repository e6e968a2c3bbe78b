using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Agreements.Edit;

public sealed class EditAgreementModel(ConcordatDb db, AgreementCommands commands, Viewer viewer, TimeProvider clock) : AgreementFormPage(db, viewer)
{
    public string Reference { get; private set; } = "";
    public int Id { get; private set; }
    /// <summary>A draft made from a template's answers, which regenerate its documents and the fields they cover.</summary>
    public bool DraftedFromTemplate { get; private set; }
    public override string Heading => "Edit the record";
    public override string SubmitText => "Save changes";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindForEditAsync(Db, Viewer, id, ct);
        if (agreement is null) return StatusCode(await AgreementRefusal.StatusAsync(Db, Viewer, id, "edit", clock, ct));
        (Id, Reference, DraftedFromTemplate) = (agreement.Id, agreement.Reference, agreement.ChangesThroughItsDraft);
        FillForm(agreement.ToInput());
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindForEditAsync(Db, Viewer, id, ct);
        if (agreement is null) return StatusCode(await AgreementRefusal.StatusAsync(Db, Viewer, id, "update", clock, ct));
        (Id, Reference, DraftedFromTemplate) = (agreement.Id, agreement.Reference, agreement.ChangesThroughItsDraft);
        ReadForm();
        var errors = await commands.UpdateAsync(agreement, Input, Viewer, ct);
        if (errors.Count == 0)
        {
            TempData["Notice"] = "Your changes are saved.";
            return Redirect($"/agreements/{id}");
        }
        ShowErrors(errors);
        await LoadChoicesAsync(ct);
        return Page();
    }
}
