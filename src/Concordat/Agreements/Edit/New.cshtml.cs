using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Agreements.Edit;

public sealed class NewAgreementModel(ConcordatDb db, AgreementCommands commands, Viewer viewer) : AgreementFormPage(db, viewer)
{
    public override string Heading => "Add an agreement";
    public override string SubmitText => "Save as a draft";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!AgreementAccess.MayCreate(Viewer)) return StatusCode(StatusCodes.Status403Forbidden);
        // An editor of exactly one organisation starts with it as the lead.
        var editorOf = Viewer.OrganisationsWhere(OrganisationRole.Editor);
        FillForm(new AgreementInput { Status = "draft", Visibility = "public", LeadOrganisationId = editorOf.Length == 1 ? editorOf[0] : null });
        await LoadChoicesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!AgreementAccess.MayCreate(Viewer)) return StatusCode(StatusCodes.Status403Forbidden);
        ReadForm();
        var (agreement, errors) = await commands.CreateAsync(Input, Viewer, ct);
        if (agreement is not null)
        {
            TempData["Notice"] = $"Saved {agreement.Reference} as a draft. Add the agreement document, then publish it when the record is complete.";
            return Redirect($"/agreements/{agreement.Id}");
        }
        ShowErrors(errors);
        await LoadChoicesAsync(ct);
        return Page();
    }
}
