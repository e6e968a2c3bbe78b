using Concordat.Audit;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Organisations.Merging;

/// <summary>
/// Something that refers to organisations and must follow one merged into another. The registry knows only its own rows
/// (memberships); each feature that refers to organisations (agreements, invitations, sign-off) registers one of these,
/// so folders lower down need not know the ones above them.
/// </summary>
public interface IOrganisationReferences
{
    /// <summary>Moves what refers to <paramref name="from"/> to <paramref name="into"/>, in the caller's transaction; returns how many rows it changed.</summary>
    Task<int> MoveAsync(ConcordatDb db, int from, int into, CancellationToken ct);
}

/// <summary>
/// Merges a duplicate organisation (one an import created beside a seeded body, say) into the one to keep: everything that
/// referred to it follows, people keep every role they held in either, the codes and assurance the kept one lacks are
/// taken over, and the duplicate is removed. One transaction, one audit event.
/// </summary>
public sealed class OrganisationMerge(ConcordatDb db, IEnumerable<IOrganisationReferences> references, TimeProvider clock)
{
    public async Task<string?> MergeAsync(Viewer viewer, int fromId, int intoId, CancellationToken ct)
    {
        if (!viewer.IsFrameworkAdministrator || !viewer.MayChange) return "Only a framework administrator can merge organisations";
        if (fromId == intoId) return "Choose another organisation to merge it into";
        var from = await db.Organisations.SingleOrDefaultAsync(o => o.Id == fromId, ct);
        var into = await db.Organisations.SingleOrDefaultAsync(o => o.Id == intoId, ct);
        if (from is null || into is null) return "Choose the organisation to merge it into from the list";

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var moved = 0;
        foreach (var reference in references) moved += await reference.MoveAsync(db, fromId, intoId, ct);
        moved += await MoveMembershipsAsync(fromId, intoId, ct);

        // What the kept body's record lacks comes from the duplicate: the codes first leave it, as they are unique.
        var (gss, ods, ico) = (from.GssCode, from.OdsCode, from.IcoNumber);
        (from.GssCode, from.OdsCode, from.IcoNumber) = (null, null, null);
        await db.SaveChangesAsync(ct);
        into.GssCode ??= gss;
        into.OdsCode ??= ods;
        into.IcoNumber ??= ico;
        into.ShortName ??= from.ShortName;
        into.IcoExpiry ??= from.IcoExpiry;
        into.DsptStatus ??= from.DsptStatus;
        into.DsptDate ??= from.DsptDate;
        into.Iso27001Expiry ??= from.Iso27001Expiry;
        into.DataProtectionOfficer ??= from.DataProtectionOfficer;
        into.AdoptedFrameworkOn ??= from.AdoptedFrameworkOn;
        into.Website ??= from.Website;
        db.Organisations.Remove(from);
        AuditTrail.Record(db, viewer.Actor, "organisation.merged", $"organisation:{into.Name}", new { from = from.Name, into = into.Name, moved }, clock, into.Id);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return null;
    }

    /// <summary>A person in both keeps one membership with every role of the two.</summary>
    async Task<int> MoveMembershipsAsync(int from, int into, CancellationToken ct)
    {
        var memberships = await db.Memberships.Where(m => m.OrganisationId == from || m.OrganisationId == into).ToListAsync(ct);
        var moved = memberships.Count(m => m.OrganisationId == from);
        foreach (var duplicate in memberships.Where(m => m.OrganisationId == from))
        {
            if (memberships.FirstOrDefault(m => m.OrganisationId == into && m.UserId == duplicate.UserId) is { } kept)
            {
                kept.Roles |= duplicate.Roles;
                db.Memberships.Remove(duplicate);
            }
            else duplicate.OrganisationId = into;
        }
        await db.SaveChangesAsync(ct);
        return moved;
    }
}
