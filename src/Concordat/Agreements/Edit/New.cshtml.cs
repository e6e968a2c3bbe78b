using Concordat.Data;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Agreements.Edit;

public sealed class NewAgreementModel(ConcordatDb db, AgreementCommands commands) : AgreementFormPage(db)
{
    public override string Heading => "Add an agreement";
    public override string SubmitText => "Save as a draft";

    public async Task OnGetAsync(CancellationToken ct)
    {
        FillForm(new AgreementInput { Status = "draft", Visibility = "public" });
        await LoadChoicesAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        ReadForm();
        var (agreement, errors) = await commands.CreateAsync(Input, User.Identity?.Name, ct);
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
