using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Accounts;

[LimitPasswordAttempts]
public sealed class SignInModel(SignInManager<IdentityUser> signIn, Concordat.Data.ConcordatDb db, TimeProvider clock, ILogger<SignInModel> logger,
    SingleSignOn.SingleSignOnOptions singleSignOn, PasswordAttempts attempts) : FormPage
{
    public SingleSignOn.SingleSignOnOptions SingleSignOn => singleSignOn;
    [TempData] public string? Notice { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Email)) Errors.Add("email", "Enter your email address");
        if (string.IsNullOrEmpty(Password)) Errors.Add("password", "Enter your password");
        if (Errors.Count > 0) return Page();

        var email = Email!.Trim();
        if (!await attempts.TryAccountAsync(email, HttpContext.RequestAborted)) return PasswordAttempts.Refused(Response);
        var user = await signIn.UserManager.FindByEmailAsync(email);
        var result = user is null ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Password!, isPersistent: false, lockoutOnFailure: true);
        SignInAudit.Record(db, email, result, "web", clock);
        await db.SaveChangesAsync();
        if (result.Succeeded)
        {
            logger.LogInformation("Signed in {Email}", Email);
            // Only a local path: never an open redirect.
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/agreements");
        }
        if (result.RequiresTwoFactor)
            return LocalRedirect(TwoStep.SecondStepPage.WithReturnUrl(TwoStep.SignInCodeModel.Path, Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null));
        if (result.IsLockedOut)
        {
            logger.LogWarning("Locked out {Email}", Email);
            Errors.Add("email", "Too many failed attempts. Your account is locked for 15 minutes");
        }
        else
        {
            logger.LogWarning("Failed sign-in for {Email}", Email);
            Errors.Add("email", "Email address or password is not right");
        }
        Password = null;
        return Page();
    }
}
