using Concordat.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Accounts.People;

/// <summary>
/// Where an invitation's link lands. A new person chooses a password; someone who already has an
/// account signs in as the invited address and accepts. A forged, used, withdrawn or expired link is
/// refused plainly and the attempt audited.
/// </summary>
[LimitPasswordAttempts]
public sealed class AcceptInvitationModel(PeopleCommands people, SignInManager<IdentityUser> signIn, Viewer viewer) : FormPage
{
    public Invitation? Invitation { get; private set; }
    /// <summary>Why the link does not work: unknown, used, withdrawn, expired.</summary>
    public string? Refusal { get; private set; }
    public bool HasAccount { get; private set; }
    public bool SignedInAsInvitee => viewer.Email is not null && string.Equals(viewer.Email, Invitation?.Email, StringComparison.OrdinalIgnoreCase);
    public int MinimumLength => signIn.UserManager.Options.Password.RequiredLength;

    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }

    public async Task<IActionResult> OnGetAsync(string secret, CancellationToken ct) =>
        await LoadAsync(secret, ct) ? Page() : Refused();

    public async Task<IActionResult> OnPostAsync(string secret, CancellationToken ct)
    {
        if (!await LoadAsync(secret, ct)) return Refused();
        if (HasAccount) return Page(); // they sign in and accept instead
        var (user, errors) = await people.AcceptWithPasswordAsync(Invitation!, Password, ConfirmPassword, ct);
        if (user is null)
        {
            foreach (var (field, messages) in errors)
                foreach (var message in messages) Errors.Add(field, message);
            Password = ConfirmPassword = null;
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        TempData["Notice"] = $"Welcome to Concordat. You are a member of {Invitation!.Organisation!.Name}. You can turn on two-step sign-in with an authenticator app now.";
        return Redirect("/account/two-step");
    }

    public async Task<IActionResult> OnPostAcceptAsync(string secret, CancellationToken ct)
    {
        if (!await LoadAsync(secret, ct)) return Refused();
        if (!SignedInAsInvitee) return Page();
        var user = await signIn.UserManager.FindByIdAsync(viewer.UserId!);
        await people.AcceptAsExistingAsync(user!, Invitation!, ct);
        TempData["Notice"] = $"You are now a member of {Invitation!.Organisation!.Name}.";
        return Redirect($"/organisations/{Invitation.OrganisationId}");
    }

    async Task<bool> LoadAsync(string secret, CancellationToken ct)
    {
        (Invitation, Refusal) = await people.FindOpenAsync(secret, ct);
        if (Refusal is not null)
        {
            await people.RecordRefusedLinkAsync(Invitation, Refusal, viewer.Actor, ct);
            return false;
        }
        HasAccount = await signIn.UserManager.FindByEmailAsync(Invitation!.Email) is not null;
        return true;
    }

    /// <summary>404 for a link that never existed; 410 for one that did and no longer works.</summary>
    IActionResult Refused()
    {
        Response.StatusCode = Refusal == "unknown" ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone;
        return Page();
    }
}
