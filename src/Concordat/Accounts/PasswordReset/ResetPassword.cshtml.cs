using Concordat.Accounts.People;
using Concordat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Accounts.PasswordReset;

/// <summary>Where the reset link lands: a new password, checked by the same rules as any other.</summary>
[LimitPasswordAttempts]
public sealed class ResetPasswordModel(UserManager<IdentityUser> users, ConcordatDb db, PasswordAttempts attempts, TimeProvider clock) : FormPage
{
    [BindProperty(SupportsGet = true)] public string? Email { get; set; }
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    public int MinimumLength => users.Options.Password.RequiredLength;

    public IActionResult OnGet() => string.IsNullOrEmpty(Email) || string.IsNullOrEmpty(Token) ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrEmpty(Email) || string.IsNullOrEmpty(Token)) return NotFound();
        if (string.IsNullOrEmpty(Password)) Errors.Add("password", "Enter a new password");
        else if (Password != ConfirmPassword) Errors.Add("confirmPassword", "The passwords do not match");
        if (Errors.Count > 0) return Page();
        if (!await attempts.TryAccountAsync(Email, HttpContext.RequestAborted)) return PasswordAttempts.Refused(Response);

        var user = await users.FindByEmailAsync(Email);
        var result = user is null ? IdentityResult.Failed(new IdentityError { Code = "InvalidToken" }) : await users.ResetPasswordAsync(user, Token, Password!);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == "InvalidToken"))
            {
                Audit.AuditTrail.Record(db, Email, "password.reset-refused", PeopleCommands.Subject(Email), new { reason = "link not valid" }, clock);
                await db.SaveChangesAsync();
                Errors.Add("password", "This link has expired, has been used or is not complete. Ask for a new one from the sign-in page");
            }
            else foreach (var error in result.Errors) Errors.Add("password", error.Description);
            Password = ConfirmPassword = null;
            return Page();
        }
        // A forgotten password may mean a locked account: the reset opens it again.
        await users.SetLockoutEndDateAsync(user!, null);
        Audit.AuditTrail.Record(db, user!.Email!, "password.reset", PeopleCommands.Subject(user.Email!), new { }, clock);
        await db.SaveChangesAsync();
        TempData["Notice"] = "Your password is changed. Sign in with it now.";
        return Redirect("/sign-in");
    }
}
