using Concordat.Data;
using Concordat.Organisations.Merging;
using Concordat.Templates.Drafting;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates.SignOff;

/// <summary>Signatures and drafts follow a merged organisation; a round where both signed keeps the kept one's signature.</summary>
public sealed class SignOffOrganisationReferences : IOrganisationReferences
{
    public async Task<int> MoveAsync(ConcordatDb db, int from, int into, CancellationToken ct)
    {
        // In a round both were asked to sign, the one that decided (signed or declined) stands; the other goes.
        var rows = await db.Set<PartySignature>().Where(p => p.OrganisationId == from || p.OrganisationId == into).ToListAsync(ct);
        foreach (var round in rows.GroupBy(p => p.SignOffRoundId).Where(g => g.Select(p => p.OrganisationId).Distinct().Count() == 2))
        {
            var (kept, moved) = (round.Single(p => p.OrganisationId == into), round.Single(p => p.OrganisationId == from));
            db.Remove(moved.Decision != PartyDecision.Pending && kept.Decision == PartyDecision.Pending ? kept : moved);
        }
        await db.SaveChangesAsync(ct);
        var signatures = await db.Set<PartySignature>().Where(p => p.OrganisationId == from).ExecuteUpdateAsync(u => u.SetProperty(p => p.OrganisationId, into), ct);
        var dropped = rows.Count(p => db.Entry(p).State == EntityState.Detached);
        var drafts = await db.Set<AgreementDraft>().Where(d => d.LeadOrganisationId == from).ExecuteUpdateAsync(u => u.SetProperty(d => d.LeadOrganisationId, into), ct);
        return dropped + signatures + drafts;
    }
}
