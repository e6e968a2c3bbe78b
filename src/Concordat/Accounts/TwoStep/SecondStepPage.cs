using Concordat.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using SignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace Concordat.Accounts.TwoStep;

/// <summary>
/// The second step of signing in, after a right password: a code from the person's authenticator app
/// (<see cref="SignInCodeModel"/>) or one of their recovery codes (<see cref="SignInRecoveryCodeModel"/>).
/// Identity remembers whose password it was in a short-lived cookie and counts wrong codes toward lockout.
/// </summary>
public abstract class SecondStepPage(SignInManager<IdentityUser> signIn, ConcordatDb db, PasswordAttempts attempts, TimeProvider clock) : FormPage
{
    [BindProperty] public string? Code { get; set; }
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    protected SignInManager<IdentityUser> Identity => signIn;

    /// <summary>How the audit trail names this step.</summary>
    protected abstract string Via { get; }
    /// <summary>What is wrong with the code as typed, before it is tried (so a typo costs no attempt); null if nothing.</summary>
    protected abstract string? Invalid(string code);
    protected abstract Task<SignInResult> SignInWithAsync(IdentityUser user, string code);
    protected abstract string WrongCode { get; }
    protected virtual string Normalise(string? code) => Authenticator.Normalise(code);

    public static string WithReturnUrl(string path, string? returnUrl) =>
        string.IsNullOrEmpty(returnUrl) ? path : $"{path}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    /// <summary>The return address, only if it is local: never an open redirect.</summary>
    public string? LocalReturnUrl => Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null;

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? StartAgain() : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null) return StartAgain();
        if (!await attempts.TryAccountAsync(user.Email ?? user.Id, HttpContext.RequestAborted)) return PasswordAttempts.Refused(Response);

        var code = Normalise(Code);
        if (Invalid(code) is { } problem)
        {
            Errors.Add("code", problem);
            return Page();
        }
        var result = await SignInWithAsync(user, code);
        SignInAudit.Record(db, user.Email ?? user.UserName ?? user.Id, result, Via, clock);
        await db.SaveChangesAsync();
        if (result.Succeeded) return LocalRedirect(LocalReturnUrl ?? "/agreements");

        Errors.Add("code", result.IsLockedOut ? "Too many failed attempts. Your account is locked for 15 minutes" : WrongCode);
        Code = null;
        return Page();
    }

    /// <summary>No password was checked in the last few minutes (the step expired, or was never started).</summary>
    IActionResult StartAgain() => LocalRedirect(WithReturnUrl("/sign-in", LocalReturnUrl));
}

[LimitPasswordAttempts]
public sealed class SignInCodeModel(SignInManager<IdentityUser> signIn, ConcordatDb db, PasswordAttempts attempts, TimeProvider clock) : SecondStepPage(signIn, db, attempts, clock)
{
    public const string Path = "/sign-in/two-step";

    protected override string Via => "two-step";
    protected override string WrongCode => "The code is not right. Enter the code your authenticator app shows now";

    protected override string? Invalid(string code) => Authenticator.CodeProblem(code);

    protected override Task<SignInResult> SignInWithAsync(IdentityUser user, string code) =>
        Identity.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
}

[LimitPasswordAttempts]
public sealed class SignInRecoveryCodeModel(SignInManager<IdentityUser> signIn, ConcordatDb db, PasswordAttempts attempts, TimeProvider clock) : SecondStepPage(signIn, db, attempts, clock)
{
    public const string Path = "/sign-in/recovery-code";

    protected override string Via => "recovery-code";
    protected override string WrongCode => "The recovery code is not right, or it has been used already";

    protected override string? Invalid(string code) => code.Length == 0 ? "Enter one of your recovery codes" : null;

    /// <summary>Identity's codes are stored as XXXXX-XXXXX in capitals; accept them typed in any case, with or without the hyphen.</summary>
    protected override string Normalise(string? code)
    {
        var plain = Authenticator.Normalise(code).ToUpperInvariant();
        return plain.Length == 10 ? $"{plain[..5]}-{plain[5..]}" : plain;
    }

    protected override async Task<SignInResult> SignInWithAsync(IdentityUser user, string code)
    {
        var result = await Identity.TwoFactorRecoveryCodeSignInAsync(code);
        if (result.Succeeded || result.IsLockedOut || result.IsNotAllowed) return result;
        // Identity counts wrong authenticator codes toward lockout, but not wrong recovery codes.
        await Identity.UserManager.AccessFailedAsync(user);
        return await Identity.UserManager.IsLockedOutAsync(user) ? SignInResult.LockedOut : SignInResult.Failed;
    }
}
