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
                detail: "Only editors of the organisation that leads it (or a framework administrator) change its record and publish it; once it is published, a party's editors change the data flows their own organisation sends and add its files.");

    /// <summary>
    /// Whether the viewer may add this file, or a version of it, to an agreement they may change (<see cref="AgreementAccess.RefusedFile"/>):
    /// null when they may; otherwise the field and the message, with the refusal on the audit trail.
    /// </summary>
    public static async Task<(string Field, string Message)?> FileAsync(ConcordatDb db, Viewer viewer, Agreement agreement, AgreementFile? existing, FileKind kind,
        TimeProvider clock, CancellationToken ct)
    {
        if (AgreementAccess.MayChangeEverything(viewer, agreement.LeadOrganisationId)) return null;
        var lead = await db.Organisations.AsNoTracking().Where(o => o.Id == agreement.LeadOrganisationId).Select(o => o.Name).SingleAsync(ct);
        if (AgreementAccess.RefusedFile(viewer, agreement, existing, kind, lead) is not { } refused) return null;
        AuditTrail.Record(db, viewer.Actor, "access.refused", AgreementCommands.Subject(agreement),
            new { attempted = existing is null ? "add a file" : "upload a version", fields = new[] { refused.Field } }, clock, agreement.LeadOrganisationId);
        await db.SaveChangesAsync(ct);
        return refused;
    }

    /// <summary>The API's answer to a refused part of a change: 403 naming each field and who can change it.</summary>
    public static ProblemHttpResult Forbidden(string field, string message) =>
        TypedResults.Problem(statusCode: 403, title: "You cannot make this change", detail: message,
            extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    public static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no agreement {id} that you can see.");
}
