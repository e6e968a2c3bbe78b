using Concordat.Audit;
using Concordat.Data;
using Microsoft.AspNetCore.Identity;

namespace Concordat.Accounts;

/// <summary>How a sign-in attempt (password, or its second step) is written to the audit trail, from the sign-in pages or the token endpoint.</summary>
public static class SignInAudit
{
    /// <summary>Queues the event; the caller's next save writes it.</summary>
    public static void Record(ConcordatDb db, string email, SignInResult result, string via, TimeProvider clock) =>
        AuditTrail.Record(db, email,
            result.Succeeded ? "sign-in.succeeded" : result.IsLockedOut ? "sign-in.locked-out"
                // The password was right; the second step decides and is recorded on its own.
                : result.RequiresTwoFactor ? "sign-in.password-accepted" : "sign-in.failed",
            $"person:{email}", new { via }, clock);
}
