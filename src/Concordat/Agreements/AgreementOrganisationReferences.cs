using Concordat.Data;
using Concordat.Organisations.Merging;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

/// <summary>
/// Agreements follow a merged organisation: as lead, as party (one party row where both were parties), in data flows
/// (a flow that would go from the organisation to itself is dropped) and as the contributor of files. Each agreement
/// touched is saved with its UpdatedAt, so the search index takes the new names in.
/// </summary>
public sealed class AgreementOrganisationReferences(TimeProvider clock) : IOrganisationReferences
{
    public async Task<int> MoveAsync(ConcordatDb db, int from, int into, CancellationToken ct)
    {
        var agreements = await db.Agreements.AsSplitQuery().Include(a => a.Parties).Include(a => a.DataFlows).Include(a => a.Files)
            .Where(a => a.LeadOrganisationId == from || a.Parties.Any(p => p.OrganisationId == from)
                        || a.DataFlows.Any(f => f.FromOrganisationId == from || f.ToOrganisationId == from)
                        || a.Files.Any(f => f.ContributedByOrganisationId == from))
            .ToListAsync(ct);
        // The same manifest imported under both names made each agreement twice, under the same key: the moved one keeps
        // its record but not the key (an import matches by lead and key, and two agreements cannot share both).
        var keysOfInto = (await db.Agreements.Where(a => a.LeadOrganisationId == into && a.ImportKey != null).Select(a => a.ImportKey!).ToListAsync(ct)).ToHashSet();
        foreach (var agreement in agreements)
        {
            if (agreement.LeadOrganisationId == from)
            {
                agreement.LeadOrganisationId = into;
                if (agreement.ImportKey is { } key && !keysOfInto.Add(key)) agreement.ImportKey = null;
            }
            foreach (var party in agreement.Parties.Where(p => p.OrganisationId == from).ToList())
            {
                if (agreement.Parties.Any(p => p.OrganisationId == into)) agreement.Parties.Remove(party);
                else party.OrganisationId = into;
            }
            foreach (var flow in agreement.DataFlows.Where(f => f.FromOrganisationId == from || f.ToOrganisationId == from).ToList())
            {
                if (flow.FromOrganisationId == from) flow.FromOrganisationId = into;
                if (flow.ToOrganisationId == from) flow.ToOrganisationId = into;
                if (flow.FromOrganisationId == flow.ToOrganisationId) agreement.DataFlows.Remove(flow);
            }
            foreach (var file in agreement.Files.Where(f => f.ContributedByOrganisationId == from))
                file.ContributedByOrganisationId = into;
            agreement.UpdatedAt = clock.GetUtcNow();
        }
        await db.SaveChangesAsync(ct);
        return agreements.Count;
    }
}
