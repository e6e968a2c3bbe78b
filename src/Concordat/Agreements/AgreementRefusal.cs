using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

/// <summary>
/// Answers a change the viewer may not make. An agreement they cannot see is 404, exactly as if it did
/// not exist; one they can see but not change is 403, and the attempt goes on the audit trail.
/// </summary>
public static class AgreementRefusal
{
    public static async Task<int> StatusAsync(ConcordatDb db, Viewer viewer, int id, string attempted, TimeProvider clock, CancellationToken ct)
    {
        var seen = await db.Agreements.AsNoTracking().VisibleTo(viewer).Where(a => a.Id == id)
            .Select(a => new { a.Reference, a.LeadOrganisationId }).SingleOrDefaultAsync(ct);
        if (seen is null) return StatusCodes.Status404NotFound;
        db.ChangeTracker.Clear(); // only the refusal is saved
        AuditTrail.Record(db, viewer.Actor, "access.refused", AgreementCommands.Subject(seen.Reference), new { attempted }, clock, seen.LeadOrganisationId);
        await db.SaveChangesAsync(ct);
        return StatusCodes.Status403Forbidden;
    }

    public static async Task<ProblemHttpResult> ProblemAsync(ConcordatDb db, Viewer viewer, int id, string attempted, TimeProvider clock, CancellationToken ct) =>
        await StatusAsync(db, viewer, id, attempted, clock, ct) == StatusCodes.Status404NotFound
            ? NotFound(id)
            : TypedResults.Problem(statusCode: 403, title: "You cannot change this agreement",
                detail: "Only editors of the organisation that leads it (or, once published, of its parties) can change it; only the lead organisation's editors can publish it.");

    public static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no agreement {id} that you can see.");
}
