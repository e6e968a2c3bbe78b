using Concordat.Audit;
using Concordat.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Accounts.TwoStep;

/// <summary>
/// Turn two-step sign-in on with an authenticator app, get new recovery codes, or turn it off
/// (administrators cannot). Identity saves each change through the same context as its
/// audit event, so the change and its event are one save.
/// </summary>
[Authorize]
public sealed class TwoStepModel(UserManager<IdentityUser> users, SignInManager<IdentityUser> signIn, ConcordatDb db, TimeProvider clock,
    Organisations.Viewer viewer) : FormPage
{
    public const int RecoveryCodeCount = 10;

    [BindProperty] public string? Code { get; set; }

    public bool IsOn { get; private set; }
    public bool IsAdministrator { get; private set; }
    /// <summary>An administrator without two-step sign-in, sent here by <see cref="TwoStepRequired"/>.</summary>
    public bool MustTurnOn => IsAdministrator && !IsOn;
    public string Email { get; private set; } = "";
    public string Key { get; private set; } = "";
    public string AppUri { get; private set; } = "";
    public IHtmlContent QrCode => Authenticator.QrCode(AppUri,
        "QR code that adds Concordat to an authenticator app. If you cannot scan it, type the key shown below it instead.");
    public int RecoveryCodesLeft { get; private set; }
    /// <summary>Shown once, on the page answering the request that made them; never stored in the clear.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public string? Notice { get; private set; }

    IdentityUser _user = null!;

    public async Task OnGetAsync()
    {
        // A welcome from accepting an invitation, which lands here.
        Notice = TempData["Notice"] as string;
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostEnableAsync()
    {
        await LoadAsync();
        if (IsOn) return RedirectToPage();

        var code = Authenticator.Normalise(Code);
        if (Authenticator.CodeProblem(code) is { } problem) Errors.Add("code", problem);
        else if (!await users.VerifyTwoFactorTokenAsync(_user, users.Options.Tokens.AuthenticatorTokenProvider, code))
            Errors.Add("code", "The code is not right. Check you added the key shown here, then enter the code the app shows now");
        Code = null;
        if (Errors.Count > 0) return Page();

        Record("two-step.enabled");
        Succeeded(await users.SetTwoFactorEnabledAsync(_user, true));
        await NewRecoveryCodesAsync();
        // Turning it on changed the security stamp: reissue this browser's cookie so it stays signed in.
        await signIn.RefreshSignInAsync(_user);
        Notice = "Two-step sign-in is on";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRecoveryCodesAsync()
    {
        await LoadAsync();
        if (!IsOn) return RedirectToPage();
        await NewRecoveryCodesAsync();
        Notice = "You have new recovery codes";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        await LoadAsync();
        // The page offers no button to administrators; a hand-made request is refused.
        if (IsAdministrator) return StatusCode(StatusCodes.Status403Forbidden);
        if (!IsOn) return RedirectToPage();

        Record("two-step.disabled");
        Succeeded(await users.SetTwoFactorEnabledAsync(_user, false));
        // A later setup starts from a new key, so an old copy of this one is worthless.
        Succeeded(await users.ResetAuthenticatorKeyAsync(_user));
        await signIn.RefreshSignInAsync(_user);
        Notice = "Two-step sign-in is off";
        await LoadAsync();
        return Page();
    }

    async Task LoadAsync()
    {
        // The key and the recovery codes are secrets: no copy in any cache or the browser's history.
        Response.Headers.CacheControl = "no-store";
        _user = await users.GetUserAsync(User) ?? throw new InvalidOperationException("The signed-in person has no account");
        Email = _user.Email ?? _user.UserName ?? "";
        IsOn = await users.GetTwoFactorEnabledAsync(_user);
        IsAdministrator = viewer.MustUseTwoStep;
        var key = await users.GetAuthenticatorKeyAsync(_user);
        if (string.IsNullOrEmpty(key))
        {
            Succeeded(await users.ResetAuthenticatorKeyAsync(_user));
            // A new key changes the security stamp, which would sign this browser out at its next check.
            await signIn.RefreshSignInAsync(_user);
            key = (await users.GetAuthenticatorKeyAsync(_user))!;
        }
        Key = Authenticator.Grouped(key);
        AppUri = Authenticator.Uri(Email, key);
        RecoveryCodesLeft = IsOn ? await users.CountRecoveryCodesAsync(_user) : 0;
    }

    async Task NewRecoveryCodesAsync()
    {
        Record("recovery-codes.generated");
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(_user, RecoveryCodeCount))?.ToList()
            ?? throw new InvalidOperationException("The recovery codes could not be saved");
    }

    /// <summary>Queues the event; Identity's next save (the change it describes) writes it.</summary>
    void Record(string action) => AuditTrail.Record(db, AuditTrail.ActorOf(User), action, $"person:{Email}", null, clock);

    static void Succeeded(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Identity refused the change: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
