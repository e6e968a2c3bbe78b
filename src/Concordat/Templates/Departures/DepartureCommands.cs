using Concordat.Agreements;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Mail;
using Concordat.Organisations;
using Concordat.Templates.Drafting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates.Departures;

/// <summary>
/// Departures from a template's fixed wording: recorded each time a draft makes the agreement's documents, shown with
/// the difference, and approved by as many framework approvers as a template version needs, each recording the advice
/// taken. Until then the agreement cannot be sent for sign-off.
/// </summary>
public sealed class DepartureCommands(ConcordatDb db, TemplateCommands templates, UserManager<IdentityUser> users, Mailer mailer, PublicSite site, TimeProvider clock)
{
    public int ApprovalsNeeded => templates.ApprovalsNeeded;

    public Task<TemplateDeparture?> FindAsync(int agreementId, CancellationToken ct) =>
        db.TemplateDepartures.SingleOrDefaultAsync(d => d.AgreementId == agreementId, ct);

    /// <summary>
    /// Records what the documents just made depart from, for the caller to save. Approvals stand while the departing
    /// wording is what they approved; any other change to it starts the approvals again. True when there is a
    /// departure the approvers have not seen before.
    /// </summary>
    public async Task<bool> RecordAsync(Agreement agreement, DraftDocument document, Viewer viewer, CancellationToken ct)
    {
        var sections = document.Departures.Select(s => new DepartedSection
        {
            Key = s.Section.Key, Number = s.Number, Heading = s.Section.Heading, TemplateWording = s.TemplateWording, AgreedWording = s.Markdown,
        }).ToList();
        var existing = await FindAsync(agreement.Id, ct);
        agreement.DepartsFromTemplate = sections.Count > 0;
        if (sections.Count == 0)
        {
            if (existing is not null) db.TemplateDepartures.Remove(existing);
            return false;
        }
        var hash = DraftDocument.DeparturesHash(sections.Select(s => (s.Key, s.TemplateWording, s.AgreedWording)));
        if (existing?.Hash == hash) return false;
        var recorder = viewer.UserId ?? viewer.Actor;
        existing ??= db.TemplateDepartures.Add(new TemplateDeparture { AgreementId = agreement.Id, Hash = hash, RecordedByUserId = recorder }).Entity;
        (existing.Sections, existing.Hash, existing.Approvals, existing.ApprovedAt, existing.RecordedByUserId) = (sections, hash, [], null, recorder);
        existing.Revision++;
        AuditTrail.Record(db, viewer.Actor, "departure.recorded", AgreementCommands.Subject(agreement),
            new { agreement.Reference, agreement.TemplateReference, sections = sections.Select(s => s.Heading) }, clock, agreement.LeadOrganisationId);
        return true;
    }

    /// <summary>Emails every framework approver that a departure waits for them.</summary>
    public async Task TellApproversAsync(Agreement agreement, CancellationToken ct)
    {
        if (await FindAsync(agreement.Id, ct) is not { } departure) return;
        await mailer.NotifyAsync((await users.GetUsersInRoleAsync(Viewer.FrameworkAdministratorRole)).Select(u => u.Email).OfType<string>(),
            $"A departure from a template waits for your approval ({agreement.Reference})",
            $"{agreement.Title} ({agreement.Reference}) is built on {agreement.TemplateReference} but changes wording it fixes, in {Sections(departure)}. " +
            $"{ApprovalsNeeded} framework approvers must approve the change before it can be sent for sign-off.\n\nSee the difference and approve it: {site.Link($"/agreements/{agreement.Id}/departures")}", ct);
    }

    /// <summary>Why the agreement cannot be sent yet because of a departure, or null.</summary>
    public async Task<string?> BlockingAsync(Agreement agreement, CancellationToken ct) =>
        agreement.DepartsFromTemplate && await FindAsync(agreement.Id, ct) is { ApprovedAt: null } departure
            ? $"Its wording departs from the template in {Sections(departure)}: {ApprovalsNeeded} framework approvers must approve the departure before it is sent ({departure.Approvals.Count} so far)"
            : null;

    public async Task<string?> ApproveAsync(Agreement agreement, TemplateDeparture departure, string? advice, Viewer viewer, CancellationToken ct)
    {
        if (!viewer.IsFrameworkAdministrator || !viewer.MayChange) return "Only a framework approver can approve a departure from a template";
        if (departure.ApprovedAt is not null) return "The departure is already approved";
        if (agreement.IsPublished || agreement.Status != AgreementStatus.Draft) return "The agreement has left drafting: a departure is approved before it is sent for sign-off";
        if (string.IsNullOrWhiteSpace(advice)) return "Say what advice you took before approving, such as legal advice or the centre of expertise's review";
        if (departure.Approvals.Any(a => a.UserId == viewer.UserId)) return "You have already approved this departure: another approver must approve it";
        if (departure.RecordedByUserId == viewer.UserId) return "You made this change of wording, so another approver must approve it";
        departure.Approvals = [.. departure.Approvals, new DepartureApproval { UserId = viewer.UserId!, Approver = viewer.Actor, Advice = advice.Trim(), At = clock.GetUtcNow() }];
        if (departure.Approvals.Count >= ApprovalsNeeded) departure.ApprovedAt = clock.GetUtcNow();
        departure.Revision++; // an approval saved meanwhile makes this save fail and start again (ConcurrentWrites)
        AuditTrail.Record(db, viewer.Actor, "departure.approved", AgreementCommands.Subject(agreement),
            new { agreement.Reference, sections = departure.Sections.Select(s => s.Heading), advice = advice.Trim(), approved = departure.ApprovedAt is not null },
            clock, agreement.LeadOrganisationId);
        await db.SaveChangesAsync(ct);
        return null;
    }

    public static string Sections(TemplateDeparture departure) =>
        (departure.Sections.Count == 1 ? "section " : "sections ") + string.Join(", ", departure.Sections.Select(s => $"{s.Number} ({s.Heading})"));
}
