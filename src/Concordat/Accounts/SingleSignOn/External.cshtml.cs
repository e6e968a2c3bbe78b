using Concordat.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Accounts.SingleSignOn;

/// <summary>Starts single sign-on (POST) and finishes it when the provider sends the person back (?handler=Callback).</summary>
public sealed class ExternalSignInModel(SignInManager<IdentityUser> signIn, ExternalAccounts accounts, SingleSignOnOptions options,
    ConcordatDb db, TimeProvider clock) : FormPage
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Refusal { get; private set; }
    public string ProviderName => options.DisplayName;

    public IActionResult OnGet() => Redirect("/sign-in");

    public IActionResult OnPost()
    {
        if (!options.Enabled) return NotFound();
        var back = $"/sign-in/external?handler=Callback&returnUrl={Uri.EscapeDataString(SafeReturn)}";
        return Challenge(signIn.ConfigureExternalAuthenticationProperties(SingleSignOnOptions.Scheme, back), SingleSignOnOptions.Scheme);
    }

    public async Task<IActionResult> OnGetCallbackAsync(CancellationToken ct)
    {
        if (!options.Enabled) return NotFound();
        var login = await signIn.GetExternalLoginInfoAsync();
        if (login is null)
        {
            Refusal = $"Signing in with {options.DisplayName} did not finish. Try again, or sign in with your password.";
            return Refused();
        }
        var (user, refusal) = await accounts.MatchAsync(login, ct);
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
        var email = user?.Email ?? login.Principal.FindFirst("email")?.Value ?? "unknown";
        Audit.AuditTrail.Record(db, email, user is null ? "sign-in.failed" : "sign-in.succeeded", People.PeopleCommands.Subject(email),
            new { via = "single sign-on", provider = login.LoginProvider }, clock);
        await db.SaveChangesAsync(ct);
        if (user is null)
        {
            Refusal = refusal;
            return Refused();
        }
        await signIn.SignInAsync(user, isPersistent: false, SingleSignOnOptions.Scheme);
        return LocalRedirect(SafeReturn);
    }

    string SafeReturn => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/agreements";

    IActionResult Refused()
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Page();
    }
}
