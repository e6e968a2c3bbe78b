using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Shared;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates;

/// <summary>
/// The template lifecycle, for framework administrators: a new version is a draft copied from the newest; its text is
/// checked whenever it is saved; in review it collects approvals, each with the advice taken; with enough approvals it
/// becomes pre-approved and the version before it is superseded. A version that has left draft never changes.
/// </summary>
public sealed class TemplateCommands(ConcordatDb db, IConfiguration configuration, TimeProvider clock)
{
    /// <summary>How many framework approvers must approve a version (Concordat:Templates:ApprovalsNeeded, default 2).</summary>
    public int ApprovalsNeeded => Math.Max(1, configuration.GetValue("Concordat:Templates:ApprovalsNeeded", 2));

    public static string Subject(AgreementTemplate template) => $"template:{template.Id}";

    /// <summary>The draft to edit: the existing draft, or a new one copied from the newest version.</summary>
    public TemplateVersion DraftOf(AgreementTemplate template, Viewer viewer)
    {
        if (template.Versions.SingleOrDefault(v => v.State == TemplateState.Draft) is { } draft) return draft;
        var newest = template.Versions.MaxBy(v => v.Number)!;
        return new TemplateVersion
        {
            TemplateId = template.Id, Number = newest.Number + 1, State = TemplateState.Draft, CreatedAt = clock.GetUtcNow(), CreatedBy = viewer.Actor,
            Questions = newest.Questions.Select(Copy).ToList(),
            Sections = newest.Sections.Select(s => new TemplateSection { Key = s.Key, Heading = s.Heading, Clause = s.Clause, Guidance = s.Guidance, Locked = s.Locked }).ToList(),
        };
    }

    static TemplateQuestion Copy(TemplateQuestion q) => new()
    {
        Key = q.Key, Topic = q.Topic, Label = q.Label, Hint = q.Hint, Type = q.Type, Required = q.Required, Multiple = q.Multiple, Vocabulary = q.Vocabulary,
        Choices = q.Choices.Select(c => new QuestionChoice { Value = c.Value, Text = c.Text }).ToList(),
    };

    /// <summary>Saves the draft's clauses and guidance if every clause passes the check; otherwise saves nothing and says what is wrong where.</summary>
    public async Task<IReadOnlyList<ClauseProblem>> SaveDraftAsync(AgreementTemplate template, TemplateVersion draft, IReadOnlyList<(string Clause, string Guidance)> sections,
        string? changeNote, Viewer viewer, CancellationToken ct)
    {
        var edited = draft.Sections.Select((s, i) => new TemplateSection
        {
            Key = s.Key, Heading = s.Heading, Locked = s.Locked,
            Clause = (i < sections.Count ? sections[i].Clause : s.Clause).Replace("\r\n", "\n").Trim(),
            Guidance = (i < sections.Count ? sections[i].Guidance : s.Guidance).Trim(),
        }).ToList();
        var problems = Clauses.Check(edited, draft.Questions);
        if (problems.Count > 0) return problems;
        draft.Sections = edited;
        draft.ChangeNote = string.IsNullOrWhiteSpace(changeNote) ? null : changeNote.Trim();
        return await SaveAsync(template, draft, "template.draft-saved", viewer, ct);
    }

    /// <summary>Saves the draft's questions if every clause still reads only questions it has; otherwise saves nothing and says which clause needs which.</summary>
    public async Task<IReadOnlyList<ClauseProblem>> SaveQuestionsAsync(AgreementTemplate template, TemplateVersion draft, List<TemplateQuestion> questions,
        Viewer viewer, CancellationToken ct)
    {
        var problems = Clauses.Check(draft.Sections, questions);
        if (problems.Count > 0) return problems;
        draft.Questions = questions;
        return await SaveAsync(template, draft, "template.questions-saved", viewer, ct);
    }

    async Task<IReadOnlyList<ClauseProblem>> SaveAsync(AgreementTemplate template, TemplateVersion draft, string action, Viewer viewer, CancellationToken ct)
    {
        if (draft.Id == 0) db.TemplateVersions.Add(draft);
        AuditTrail.Record(db, viewer.Actor, action, Subject(template), new { template.Name, draft.Number }, clock);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique version number: another administrator started the same new version first.
            db.ChangeTracker.Clear();
            return [new ClauseProblem("", "The template", null, $"Another administrator saved version {draft.Number} at the same time. Open the template again and make your change to their draft.")];
        }
        return [];
    }

    public async Task SendForReviewAsync(AgreementTemplate template, TemplateVersion draft, Viewer viewer, CancellationToken ct)
    {
        draft.State = TemplateState.InReview;
        AuditTrail.Record(db, viewer.Actor, "template.sent-for-review", Subject(template), new { template.Name, draft.Number }, clock);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Records an approval; the last one needed makes the version pre-approved. Returns why not, when it cannot.</summary>
    public async Task<string?> ApproveAsync(AgreementTemplate template, TemplateVersion version, string? advice, Viewer viewer, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(advice)) return "Say what advice you took before approving, such as legal advice or the centre of expertise's review";
        if (version.Approvals.Any(a => a.UserId == viewer.UserId)) return "You have already approved this version: another approver must approve it";
        version.Approvals.Add(new TemplateApproval { UserId = viewer.UserId!, Approver = viewer.Actor, Advice = advice.Trim(), At = clock.GetUtcNow() });
        version.Revision++; // an approval saved meanwhile makes this save fail and start again (ConcurrentWrites)
        AuditTrail.Record(db, viewer.Actor, "template.approved", Subject(template), new { template.Name, version.Number, advice = advice.Trim() }, clock);
        if (version.Approvals.Count >= ApprovalsNeeded)
        {
            foreach (var earlier in template.Versions.Where(v => v.State == TemplateState.PreApproved)) earlier.State = TemplateState.Superseded;
            version.State = TemplateState.PreApproved;
            version.PreApprovedAt = clock.GetUtcNow();
            AuditTrail.Record(db, viewer.Actor, "template.pre-approved", Subject(template), new { template.Name, version.Number, approvers = version.Approvals.Select(a => a.Approver) }, clock);
        }
        await db.SaveChangesAsync(ct);
        return null;
    }

    public async Task RetireAsync(AgreementTemplate template, TemplateVersion version, Viewer viewer, CancellationToken ct)
    {
        version.State = TemplateState.Retired;
        version.Revision++;
        AuditTrail.Record(db, viewer.Actor, "template.retired", Subject(template), new { template.Name, version.Number }, clock);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The template with its versions and their approvals, tracked for a change.</summary>
    public Task<AgreementTemplate?> FindAsync(int id, CancellationToken ct) =>
        db.Templates.Include(t => t.Versions).ThenInclude(v => v.Approvals).SingleOrDefaultAsync(t => t.Id == id, ct);
}
