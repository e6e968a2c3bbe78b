using Concordat.Audit;
using Concordat.Data;
using Microsoft.AspNetCore.Identity;

namespace Concordat.Accounts;

/// <summary>How a password attempt is written to the audit trail, from the sign-in page or the token endpoint.</summary>
public static class SignInAudit
{
    /// <summary>Queues the event; the caller's next save writes it.</summary>
    public static void Record(ConcordatDb db, string email, SignInResult result, string via, TimeProvider clock) =>
        AuditTrail.Record(db, email,
            result.Succeeded ? "sign-in.succeeded" : result.IsLockedOut ? "sign-in.locked-out" : "sign-in.failed",
            $"person:{email}", new { via }, clock);
}
