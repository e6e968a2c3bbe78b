using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Shared;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

/// <summary>Create, update and publish: the rules both the pages and the API go through.</summary>
public sealed class AgreementCommands(ConcordatDb db, TimeProvider clock)
{
    /// <summary>One creation at a time on this node, so references are taken in turn; across nodes the retries below do it.</summary>
    static readonly SemaphoreSlim Creating = new(1, 1);

    public async Task<(Agreement? Agreement, FieldErrors Errors)> CreateAsync(AgreementInput input, Viewer viewer, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var user = viewer.Actor;
        var agreement = new Agreement { Title = "", CreatedAt = now, UpdatedAt = now, CreatedBy = user };
        var errors = await ApplyAsync(input, agreement, viewer, null, ct);
        if (errors.Count > 0) return (null, errors);

        await Creating.WaitAsync(ct);
        try
        {
            await SaveWithNextReferenceAsync(agreement, user, now, ct);
        }
        finally
        {
            Creating.Release();
        }
        return (agreement, errors);
    }

    /// <summary>
    /// Takes the next free reference of the year and saves the record with its audit event in one save.
    /// If another node took the number first, the unique index refuses it and the next one is tried.
    /// </summary>
    async Task SaveWithNextReferenceAsync(Agreement agreement, string user, DateTimeOffset now, CancellationToken ct)
    {
        var prefix = $"DSA-{now.Year}-";
        db.Agreements.Add(agreement);
        for (var attempt = 1; ; attempt++)
        {
            var last = await db.Agreements.Where(a => a.Reference.StartsWith(prefix)).MaxAsync(a => (string?)a.Reference, ct);
            agreement.Reference = $"{prefix}{(last is null ? 1 : int.Parse(last[prefix.Length..]) + 1):00000}";
            var created = AuditTrail.Record(db, user, "agreement.created", Subject(agreement), new { agreement.Reference, after = agreement.ToInput() }, clock, agreement.LeadOrganisationId);
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt < 10)
            {
                db.Entry(created).State = EntityState.Detached;
            }
        }
    }

    /// <summary>Replaces the record with the input. A published record must stay publishable.</summary>
    public async Task<FieldErrors> UpdateAsync(Agreement agreement, AgreementInput input, Viewer viewer, CancellationToken ct)
    {
        var before = agreement.ToInput();
        var errors = await ApplyAsync(input, agreement, viewer, agreement.LeadOrganisationId, ct);
        if (errors.Count == 0 && agreement.IsPublished)
            foreach (var (field, messages) in AgreementEditor.CheckPublishable(agreement))
                foreach (var message in messages) errors.Add(field, message);
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear(); // nothing half-applied is ever saved
            return errors;
        }
        agreement.UpdatedAt = clock.GetUtcNow();
        AuditTrail.Record(db, viewer.Actor, "agreement.updated", Subject(agreement), new { agreement.Reference, before, after = agreement.ToInput() }, clock,
            agreement.LeadOrganisationId);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Publishes a complete record. The caller has checked <see cref="AgreementAccess.MayPublish"/>.</summary>
    public async Task<FieldErrors> PublishAsync(Agreement agreement, Viewer viewer, CancellationToken ct)
    {
        var errors = AgreementEditor.CheckPublishable(agreement);
        if (errors.Count > 0) return errors;
        var now = clock.GetUtcNow();
        agreement.PublishedAt ??= now;
        if (agreement.Status is AgreementStatus.Draft or AgreementStatus.InReview or AgreementStatus.AwaitingSignature)
            agreement.Status = AgreementStatus.Active;
        agreement.UpdatedAt = now;
        AuditTrail.Record(db, viewer.Actor, "agreement.published", Subject(agreement),
            new { agreement.Reference, status = agreement.Status.Slug(), visibility = agreement.Visibility.Slug() }, clock, agreement.LeadOrganisationId);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>How the audit trail names an agreement: by its stable reference.</summary>
    public static string Subject(Agreement agreement) => Subject(agreement.Reference);

    public static string Subject(string reference) => $"agreement:{reference}";

    /// <param name="currentLead">the lead before this change: keeping it needs no new right, moving the agreement does</param>
    async Task<FieldErrors> ApplyAsync(AgreementInput input, Agreement agreement, Viewer viewer, int? currentLead, CancellationToken ct)
    {
        var organisationIds = (await db.Organisations.Select(o => o.Id).ToListAsync(ct)).ToHashSet();
        var supersedes = AgreementEditor.Clean(input.Supersedes);
        // Only an agreement the person can see may be named as superseded: a reference is not a way to probe.
        var supersededId = supersedes is null ? null
            : await db.Agreements.VisibleTo(viewer).Where(a => a.Reference == supersedes.ToUpperInvariant()).Select(a => (int?)a.Id).SingleOrDefaultAsync(ct);
        var errors = AgreementEditor.Apply(input, agreement, organisationIds, _ => supersededId);
        if (!errors.ContainsKey("leadOrganisationId") && agreement.LeadOrganisationId != currentLead
            && !AgreementAccess.MayLeadFor(viewer, agreement.LeadOrganisationId))
            errors.Add("leadOrganisationId", "Select an organisation you are an editor for: you can only add agreements your own organisation leads");
        return errors;
    }
}

public static class AgreementInputMapping
{
    /// <summary>The input that would reproduce a record: prefills the edit form.</summary>
    public static AgreementInput ToInput(this Agreement a) => new()
    {
        Title = a.Title,
        AgreementType = a.AgreementType?.Slug(),
        Purpose = a.Purpose,
        Benefits = a.Benefits,
        LeadOrganisationId = a.LeadOrganisationId == 0 ? null : a.LeadOrganisationId,
        Parties = a.Parties.Select(p => new PartyInput { OrganisationId = p.OrganisationId, Role = p.Role.Slug() }).ToList(),
        DataFlows = a.DataFlows.Select(f => new DataFlowInput
        {
            FromOrganisationId = f.FromOrganisationId, ToOrganisationId = f.ToOrganisationId, DataItems = f.DataItems, Frequency = f.Frequency.Slug(),
        }).ToList(),
        DataSubjects = a.DataSubjects.Select(s => s.Slug()).ToList(),
        Sensitivity = a.Sensitivities.Select(s => s.Slug()).ToList(),
        LawfulBasis = a.LawfulBases.Select(s => s.Slug()).ToList(),
        SpecialCategoryCondition = a.SpecialCategoryCondition,
        LegalPowers = [.. a.LegalPowers],
        PanLondon = a.PanLondon,
        Boroughs = [.. a.BoroughCodes],
        Themes = a.Themes.Select(t => t.Slug()).ToList(),
        Dpia = a.Dpia?.Slug(),
        Status = a.Status.Slug(),
        StartDate = a.StartDate?.ToString("yyyy-MM-dd"),
        ReviewDate = a.ReviewDate?.ToString("yyyy-MM-dd"),
        EndDate = a.EndDate?.ToString("yyyy-MM-dd"),
        Version = a.VersionLabel,
        Supersedes = a.Supersedes?.Reference,
        Visibility = a.Visibility.Slug(),
        ContactEmail = a.ContactEmail,
    };
}
