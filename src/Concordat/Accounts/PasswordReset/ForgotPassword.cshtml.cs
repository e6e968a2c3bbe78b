using System.Net;
using Concordat.Accounts.People;
using Concordat.Data;
using Concordat.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace Concordat.Accounts.PasswordReset;

/// <summary>
/// "Forgot your password?": a single-use link by email, valid for two hours. The page says the same
/// whether or not the address has an account, so it cannot be used to find out who is registered.
/// </summary>
[LimitPasswordAttempts]
public sealed class ForgotPasswordModel(UserManager<IdentityUser> users, Mailer mailer, ConcordatDb db, PublicSite site, PasswordAttempts attempts, TimeProvider clock,
    ILogger<ForgotPasswordModel> logger) : FormPage
{
    [BindProperty] public string? Email { get; set; }
    public bool Sent { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var email = Email?.Trim() ?? "";
        if (email.Length == 0) Errors.Add("email", "Enter your email address");
        else if (!System.Net.Mail.MailAddress.TryCreate(email, out _)) Errors.Add("email", "Enter an email address in the correct format, like name@example.gov.uk");
        if (Errors.Count > 0) return Page();

        // Each request sends an email: one address cannot be flooded with them.
        if (!await attempts.TryAccountAsync(email, HttpContext.RequestAborted)) return PasswordAttempts.Refused(Response);
        var user = await users.FindByEmailAsync(email);
        // Only accounts with a password: someone who signs in through their organisation resets it there.
        if (user is not null && await users.HasPasswordAsync(user))
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = QueryHelpers.AddQueryString(site.Link("/sign-in/reset-password"),
                new Dictionary<string, string?> { ["email"] = user.Email, ["token"] = token });
            try
            {
                await mailer.SendAsync(new OutgoingMail(user.Email!, "Reset your Concordat password",
                    $"Someone asked to reset the password of your Concordat account. If it was you, choose a new password here:\n{link}\n\nThe link works once and for two hours. If it was not you, you can ignore this email: your password has not changed.",
                    $"<p>Someone asked to reset the password of your Concordat account. If it was you, <a href=\"{WebUtility.HtmlEncode(link)}\">choose a new password</a>.</p><p>The link works once and for two hours. If it was not you, you can ignore this email: your password has not changed.</p>"), ct);
            }
            catch (MailNotSentException e)
            {
                // Said to nobody but the log: the page must read the same for every address.
                logger.LogError(e, "Could not send a password reset email");
            }
            Audit.AuditTrail.Record(db, user.Email!, "password.reset-requested", PeopleCommands.Subject(user.Email!), new { }, clock);
            await db.SaveChangesAsync(ct);
        }
        Sent = true;
        return Page();
    }
}
