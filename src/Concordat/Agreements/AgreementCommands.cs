using Concordat.Audit;
using Concordat.Data;
using Concordat.Mail;
using Concordat.Organisations;
using Concordat.Shared;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

/// <summary>Create, update and publish: the rules both the pages and the API go through.</summary>
public sealed class AgreementCommands(ConcordatDb db, Mailer mailer, PublicSite site, TimeProvider clock)
{
    /// <summary>One creation at a time on this node, so references are taken in turn; across nodes the retries below do it.</summary>

    public async Task<(Agreement? Agreement, FieldErrors Errors)> CreateAsync(AgreementInput input, Viewer viewer, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var user = viewer.Actor;
        var agreement = new Agreement { Title = "", CreatedAt = now, UpdatedAt = now, CreatedBy = user };
        var errors = await ApplyAsync(input, agreement, viewer, null, ct);
        if (errors.Count > 0) return (null, errors);

        await SaveWithNextReferenceAsync(agreement, user, now, ct);
        return (agreement, errors);
    }

    /// <summary>
    /// Takes the next reference of the year from the year's counter and saves the record with its audit event, in one
    /// transaction (the caller's, when an import row has one): concurrent creators, on any node, wait for each other at the
    /// counter, and a save that fails gives its number back.
    /// </summary>
    async Task SaveWithNextReferenceAsync(Agreement agreement, string user, DateTimeOffset now, CancellationToken ct)
    {
        var prefix = $"DSA-{now.Year}-";
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        await using (own)
        {
            // The counter starts above any reference already written (a register moved in, or made before the counter).
            var last = await db.Agreements.Where(a => a.Reference.StartsWith(prefix)).MaxAsync(a => (string?)a.Reference, ct);
            var number = await Counters.NextAsync(db, $"agreement-reference-{now.Year}", last is null ? 1 : int.Parse(last[prefix.Length..]) + 1, ct);
            agreement.Reference = $"{prefix}{number:00000}";
            db.Agreements.Add(agreement);
            AuditTrail.Record(db, user, "agreement.created", Subject(agreement), new { agreement.Reference, after = agreement.ToInput() }, clock, agreement.LeadOrganisationId);
            await db.SaveChangesAsync(ct);
            if (own is not null) await own.CommitAsync(ct);
        }
    }

    /// <summary>
    /// Replaces the record with the input. A published record must stay publishable. What the person may change is judged
    /// on the record as stored and as submitted (<see cref="AgreementAccess.RefusedChanges"/>): a refusal saves nothing but
    /// its audit event. A new lead organisation is recorded apart and every party is told by email.
    /// </summary>
    public async Task<UpdateResult> UpdateAsync(Agreement agreement, AgreementInput input, Viewer viewer, CancellationToken ct)
    {
        var before = agreement.ToInput();
        var stored = AgreementAccess.ForComparison(agreement);
        var errors = await ApplyAsync(input, agreement, viewer, agreement.LeadOrganisationId, ct);
        var lead = await db.Organisations.AsNoTracking().Where(o => o.Id == stored.LeadOrganisationId).Select(o => o.Name).SingleAsync(ct);
        var refused = AgreementAccess.RefusedChanges(viewer, stored, AgreementAccess.ForComparison(agreement), lead, stored.ContactEmail);
        if (refused.Count > 0)
        {
            db.ChangeTracker.Clear(); // only the refusal is saved
            AuditTrail.Record(db, viewer.Actor, "access.refused", Subject(agreement), new { attempted = "update", fields = refused.Keys.ToList() }, clock, stored.LeadOrganisationId);
            await db.SaveChangesAsync(ct);
            return new UpdateResult(refused, Forbidden: true);
        }
        if (errors.Count == 0 && agreement.IsPublished)
            foreach (var (field, messages) in AgreementEditor.CheckPublishable(agreement))
                foreach (var message in messages) errors.Add(field, message);
        if (errors.Count > 0)
        {
            db.ChangeTracker.Clear(); // nothing half-applied is ever saved
            return new UpdateResult(errors, Forbidden: false);
        }
        agreement.UpdatedAt = clock.GetUtcNow();
        AuditTrail.Record(db, viewer.Actor, "agreement.updated", Subject(agreement), new { agreement.Reference, before, after = agreement.ToInput() }, clock,
            agreement.LeadOrganisationId);
        var newLead = agreement.LeadOrganisationId != stored.LeadOrganisationId
            ? await db.Organisations.AsNoTracking().Where(o => o.Id == agreement.LeadOrganisationId).Select(o => o.Name).SingleAsync(ct) : null;
        if (newLead is not null)
            AuditTrail.Record(db, viewer.Actor, "agreement.lead-changed", Subject(agreement), new { agreement.Reference, from = lead, to = newLead }, clock,
                agreement.LeadOrganisationId);
        await db.SaveChangesAsync(ct);
        if (newLead is not null)
            await TellPartiesOfNewLeadAsync(agreement, stored.LeadOrganisationId!.Value, lead, newLead, viewer, ct);
        return new UpdateResult(errors, Forbidden: false);
    }

    /// <summary>Emails the editors and administrators of every party, and of the organisation that led it before.</summary>
    async Task TellPartiesOfNewLeadAsync(Agreement agreement, int formerLeadId, string formerLead, string newLead, Viewer viewer, CancellationToken ct)
    {
        // A draft is seen only by its lead (and, while it awaits signature, its parties): its title goes to no one else.
        var seenByParties = agreement.IsPublished || agreement.Status == AgreementStatus.AwaitingSignature;
        var organisations = (seenByParties ? agreement.Parties.Select(p => p.OrganisationId) : [])
            .Append(formerLeadId).Append(agreement.LeadOrganisationId).Distinct().ToList();
        var people = await db.Memberships.AsNoTracking().Where(m => organisations.Contains(m.OrganisationId))
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.Roles, u.Email }).ToListAsync(ct);
        await mailer.NotifyAsync(
            people.Where(p => (p.Roles & (OrganisationRole.Editor | OrganisationRole.Administrator)) != 0 && p.Email is not null).Select(p => p.Email!),
            $"New lead organisation: {agreement.Title} ({agreement.Reference})",
            $"{viewer.Actor} has made {newLead} the lead organisation of {agreement.Title} ({agreement.Reference}), in place of {formerLead}. " +
            $"From now on {newLead}'s editors keep its record, its parties and who may see it; each party's editors still keep the data flows and files their own organisation adds." +
            $"\n\nOpen it in Concordat: {site.Link($"/agreements/{agreement.Id}")}", ct);
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
        // Keeping the reference already stored needs no sight of that agreement (a party's editor may not see it).
        var supersededId = supersedes is null ? null
            : string.Equals(agreement.Supersedes?.Reference, supersedes, StringComparison.OrdinalIgnoreCase) ? agreement.SupersedesId
            : await db.Agreements.VisibleTo(viewer).Where(a => a.Reference == supersedes.ToUpperInvariant()).Select(a => (int?)a.Id).SingleOrDefaultAsync(ct);
        // Nor can someone clear a reference they were never shown: the record they read had no superseded agreement in it.
        var hiddenSuperseded = supersedes is null && agreement.SupersedesId is int stored
            && !await db.Agreements.VisibleTo(viewer).AnyAsync(a => a.Id == stored, ct) ? agreement.SupersedesId : null;
        var errors = AgreementEditor.Apply(input, agreement, organisationIds, _ => supersededId);
        agreement.SupersedesId ??= hiddenSuperseded;
        if (errors.ContainsKey("leadOrganisationId") || agreement.LeadOrganisationId == currentLead
            || AgreementAccess.MayLeadFor(viewer, agreement.LeadOrganisationId)) return errors;
        if (currentLead is null)
            errors.Add("leadOrganisationId", "Select an organisation you are an editor for: you can only add agreements your own organisation leads");
        // The lead's editors may hand the agreement to one of its parties (a reorganisation); to anyone else, only by adding them as a party first.
        else if (AgreementAccess.MayChangeEverything(viewer, currentLead.Value) && agreement.Parties.All(p => p.OrganisationId != agreement.LeadOrganisationId))
            errors.Add("leadOrganisationId", "Select one of the agreement's parties as the new lead organisation, or add the new lead as a party first");
        return errors;
    }
}

/// <summary>What became of an update: saved when there are no errors; refused for what was submitted, or (Forbidden) for what the person may not change.</summary>
public sealed record UpdateResult(FieldErrors Errors, bool Forbidden)
{
    public bool Saved => Errors.Count == 0;
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
        Description = a.Description,
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
