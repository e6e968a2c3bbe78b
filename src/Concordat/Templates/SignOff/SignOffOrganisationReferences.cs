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
        var rounds = db.Set<PartySignature>().Where(p => p.OrganisationId == into).Select(p => p.SignOffRoundId);
        var dropped = await db.Set<PartySignature>().Where(p => p.OrganisationId == from && rounds.Contains(p.SignOffRoundId)).ExecuteDeleteAsync(ct);
        var signatures = await db.Set<PartySignature>().Where(p => p.OrganisationId == from).ExecuteUpdateAsync(u => u.SetProperty(p => p.OrganisationId, into), ct);
        var drafts = await db.Set<AgreementDraft>().Where(d => d.LeadOrganisationId == from).ExecuteUpdateAsync(u => u.SetProperty(d => d.LeadOrganisationId, into), ct);
        return dropped + signatures + drafts;
    }
}
