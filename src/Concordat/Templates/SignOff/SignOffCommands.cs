using System.Net;
using System.Text;
using Concordat.Agreements;
using Concordat.Agreements.Compliance;
using Concordat.Audit;
using Concordat.Data;
using Concordat.Mail;
using Concordat.Organisations;
using Concordat.Shared;
using Concordat.Templates.Departures;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Templates.SignOff;

/// <summary>
/// Sign-off: the lead sends the agreement to every party; when asked, each party's data protection officer reviews it
/// first; a signatory of each party signs or declines, in any order. Every step is audited and the parties are told by
/// email. When the last party signs, the agreement becomes active and is published with the visibility chosen when it
/// was sent, with a signature record among its files. A party added after that signs the same text alone, the others
/// told and their signatures standing. A refusal changes nothing and says why.
/// </summary>
public sealed class SignOffCommands(ConcordatDb db, AgreementCommands agreements, FileUploader uploader, ComplianceRules rules,
    DepartureCommands departures, Mailer mailer, PublicSite site, TimeProvider clock, ILogger<SignOffCommands> logger)
{
    /// <summary>The agreement with what sign-off needs, if the viewer may see it.</summary>
    public async Task<Agreement?> FindAsync(Viewer viewer, int id, CancellationToken ct) =>
        await db.Agreements.AsSplitQuery().VisibleTo(viewer).Include(a => a.Parties).ThenInclude(p => p.Organisation)
            .Include(a => a.DataFlows).Include(a => a.Files).ThenInclude(f => f.Versions).SingleOrDefaultAsync(a => a.Id == id, ct);

    public Task<SignOffRound?> LatestAsync(int agreementId, CancellationToken ct) =>
        db.SignOffs.Include(s => s.Parties).Where(s => s.AgreementId == agreementId).OrderByDescending(s => s.Id).FirstOrDefaultAsync(ct);

    /// <summary>What is being signed: the agreement documents' latest versions.</summary>
    public static string DocumentHash(Agreement agreement) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join(',', agreement.Files.Where(f => f.Kind == FileKind.Agreement).OrderBy(f => f.Id).Select(f => AgreementPageModel.Latest(f).Sha256)))));

    /// <summary>Every signature of the agreement's current text, from the rounds that completed, in the order given.</summary>
    public async Task<IReadOnlyList<PartySignature>> SignaturesAsync(Agreement agreement, CancellationToken ct)
    {
        var hash = DocumentHash(agreement);
        return await db.SignOffs.AsNoTracking().Where(s => s.AgreementId == agreement.Id && s.State == SignOffState.Completed && s.DocumentHash == hash)
            .SelectMany(s => s.Parties).Where(p => p.Decision == PartyDecision.Signed).OrderBy(p => p.DecidedAt).ToListAsync(ct);
    }

    /// <summary>
    /// Parties that have not signed the agreement's current text in a completed round. Once it is active, these are
    /// the parties added since (or everyone, if its text has changed). Empty for an agreement never signed off here.
    /// </summary>
    public async Task<IReadOnlyList<int>> UnsignedPartiesAsync(Agreement agreement, CancellationToken ct)
    {
        if (!await db.SignOffs.AnyAsync(s => s.AgreementId == agreement.Id && s.State == SignOffState.Completed, ct)) return [];
        var signed = (await SignaturesAsync(agreement, ct)).Select(p => p.OrganisationId);
        return agreement.Parties.Select(p => p.OrganisationId).Except(signed).ToList();
    }

    /// <summary>
    /// A round sent after activation to every party: the text changed after they signed it, so each signs the changed
    /// text (rather than parties added later signing the same text alone).
    /// </summary>
    public static bool SignsAgain(IReadOnlyCollection<int> unsigned, Agreement agreement) => unsigned.Count > 0 && unsigned.Count == agreement.Parties.Count;

    public static bool SignsAgain(SignOffRound round, Agreement agreement) => round.Joining && SignsAgain(round.Parties.Select(p => p.OrganisationId).ToList(), agreement);

    /// <summary>Sends a draft to every party; or, once it is active, to the parties added since, who sign alone, or to every party again when its text has changed.</summary>
    /// <param name="publishAs">the visibility to publish with; an active agreement keeps its own</param>
    public async Task<string?> SendAsync(Agreement agreement, Viewer viewer, Visibility publishAs, bool dpoReview, CancellationToken ct)
    {
        if (!AgreementAccess.MayPublish(viewer, agreement)) return "Only an editor of the lead organisation can send the agreement for sign-off";
        var joining = agreement.IsPublished ? await UnsignedPartiesAsync(agreement, ct) : null;
        if (joining is { Count: 0 }) return "The agreement is already published, and every party has signed it";
        if (await LatestAsync(agreement.Id, ct) is { State: SignOffState.Open } open)
        {
            if (open.DocumentHash == DocumentHash(agreement)) return "The agreement is already out for sign-off";
            open.State = SignOffState.Superseded; // its text has changed since: the new round replaces it
            open.Revision++;
        }
        if (agreement.Parties.Count < 2) return "Add every party before sending it: sign-off needs at least two";
        if (!agreement.Files.Any(f => f.Kind == FileKind.Agreement)) return "Upload or generate the agreement document before sending it";
        var failing = rules.Check(agreement, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).Where(r => r.Outcome == RuleOutcome.Fail).ToList();
        if (failing.Count > 0)
            return $"It cannot be sent while a compliance rule fails: {string.Join("; ", failing.Select(r => r.Name))}. Put them right first.";
        if (await departures.BlockingAsync(agreement, ct) is { } departing) return departing;
        var round = new SignOffRound
        {
            AgreementId = agreement.Id, State = SignOffState.Open, PublishAs = joining is null ? publishAs : agreement.Visibility, DpoReview = dpoReview,
            DocumentHash = DocumentHash(agreement), SentAt = clock.GetUtcNow(), SentBy = viewer.Actor, Joining = joining is not null,
            Parties = (joining ?? agreement.Parties.Select(p => p.OrganisationId)).Select(id => new PartySignature { OrganisationId = id }).ToList(),
        };
        db.SignOffs.Add(round);
        if (joining is null) agreement.Status = AgreementStatus.AwaitingSignature;
        var again = joining is not null && SignsAgain(joining, agreement);
        AuditTrail.Record(db, viewer.Actor, joining is null ? "signoff.sent" : again ? "signoff.sent-again" : "signoff.sent-to-joining", AgreementCommands.Subject(agreement),
            new { agreement.Reference, publishAs = round.PublishAs.Slug(), dpoReview, parties = round.Parties.Select(p => Name(agreement, p.OrganisationId)) },
            clock, agreement.LeadOrganisationId);
        await db.SaveChangesAsync(ct);
        await TellSentAsync(agreement, viewer, dpoReview, joining, again, ct);
        return null;
    }

    /// <summary>Who is told of a round just sent, and what: every party of a draft; or every party of a changed text; or the joining parties and, apart, the others.</summary>
    async Task TellSentAsync(Agreement agreement, Viewer viewer, bool dpoReview, IReadOnlyList<int>? joining, bool again, CancellationToken ct)
    {
        var asked = dpoReview ? OrganisationRole.DataProtectionOfficer : OrganisationRole.Signatory;
        var forYour = $"For your {(dpoReview ? "review" : "signature")}";
        if (joining is null)
            await TellAsync(agreement, asked, $"{forYour}: {agreement.Title}",
                $"{viewer.Actor} has sent {agreement.Title} ({agreement.Reference}) to every party for sign-off. " +
                (dpoReview ? "Each party's data protection officer reviews it first; then its signatory signs." : "A signatory of each party signs or declines."), ct);
        else if (again)
            await TellAsync(agreement, asked, $"{forYour}: the changed text of {agreement.Title}",
                $"{viewer.Actor} has sent the changed text of {agreement.Title} ({agreement.Reference}) to every party. Its text changed after every party signed it, " +
                "so each party signs the changed text. Until then the text signed before stands.", ct);
        else
        {
            await TellAsync(agreement, asked, $"{forYour}: joining {agreement.Title}",
                $"{viewer.Actor} has added your organisation as a party to {agreement.Title} ({agreement.Reference}), which is active. " +
                "Your organisation signs it alone, to the same text the other parties signed.", ct, joining);
            await TellAsync(agreement, OrganisationRole.Editor | OrganisationRole.Signatory, $"New party: {agreement.Title}",
                $"{Names(agreement, joining)} {(joining.Count == 1 ? "has" : "have")} been added as a party to {agreement.Title} ({agreement.Reference}) and " +
                $"{(joining.Count == 1 ? "signs" : "sign")} it alone. Your signature stands: you need do nothing.", ct, agreement.Parties.Select(p => p.OrganisationId).Except(joining).ToList());
        }
    }

    public async Task<string?> ReviewAsync(Agreement agreement, SignOffRound round, int organisationId, Viewer viewer, string? comment, CancellationToken ct)
    {
        if (Refusal(agreement, round, organisationId, viewer, OrganisationRole.DataProtectionOfficer, "review it for") is { } refused) return refused;
        var party = round.Parties.Single(p => p.OrganisationId == organisationId);
        if (!round.DpoReview) return "This sign-off did not ask for a data protection officer's review";
        if (party.ReviewedAt is not null) return $"{Name(agreement, organisationId)}'s data protection officer has already reviewed it";
        (party.ReviewedBy, party.ReviewedAt, party.ReviewComment) = (viewer.Actor, clock.GetUtcNow(), Clean(comment));
        round.Revision++;
        AuditTrail.Record(db, viewer.Actor, "signoff.reviewed", AgreementCommands.Subject(agreement),
            new { agreement.Reference, organisation = Name(agreement, organisationId), comment = party.ReviewComment }, clock, organisationId);
        await db.SaveChangesAsync(ct);
        await TellAsync(agreement, OrganisationRole.Signatory, $"Reviewed: {agreement.Title}",
            $"{Name(agreement, organisationId)}'s data protection officer has reviewed {agreement.Title}; its signatory can now sign.", ct, [organisationId]);
        return null;
    }

    public async Task<string?> DecideAsync(Agreement agreement, SignOffRound round, int organisationId, Viewer viewer, bool sign, string? comment, CancellationToken ct)
    {
        if (Refusal(agreement, round, organisationId, viewer, OrganisationRole.Signatory, "sign for") is { } refused) return refused;
        var party = round.Parties.Single(p => p.OrganisationId == organisationId);
        if (party.Decision != PartyDecision.Pending)
            return $"{Name(agreement, organisationId)} has already {(party.Decision == PartyDecision.Signed ? "signed" : "declined")}";
        if (round.DpoReview && party.ReviewedAt is null) return $"{Name(agreement, organisationId)}'s data protection officer must review it first";
        if (!sign && string.IsNullOrWhiteSpace(comment)) return "Say why you decline, so the lead organisation can put it right";
        (party.Decision, party.DecidedBy, party.DecidedAt, party.Comment) = (sign ? PartyDecision.Signed : PartyDecision.Declined, viewer.Actor, clock.GetUtcNow(), Clean(comment));
        round.Revision++; // another party's decision saved meanwhile makes this save fail and start again (ConcurrentWrites)
        AuditTrail.Record(db, viewer.Actor, sign ? "signoff.signed" : "signoff.declined", AgreementCommands.Subject(agreement),
            new { agreement.Reference, organisation = Name(agreement, organisationId), comment = party.Comment }, clock, organisationId);
        string subject, text;
        if (!sign)
        {
            round.State = SignOffState.Declined;
            // A joining party that declines leaves the active agreement as it was; a draft goes back to its lead.
            if (!round.Joining) agreement.Status = AgreementStatus.Draft;
            (subject, text) = ($"Declined: {agreement.Title}", SignsAgain(round, agreement)
                ? $"{Name(agreement, organisationId)} declined the changed text of {agreement.Title}: {party.Comment} The text signed before stands; the lead organisation can change it and send it again."
                : round.Joining
                ? $"{Name(agreement, organisationId)} declined to join {agreement.Title}: {party.Comment} The agreement stays active for the parties who signed; the lead organisation can take {Name(agreement, organisationId)} off it or change it."
                : $"{Name(agreement, organisationId)} declined {agreement.Title}: {party.Comment} The lead organisation can change it and send it again.");
        }
        else if (round.Parties.All(p => p.Decision == PartyDecision.Signed))
        {
            await CompleteAsync(agreement, round, viewer, ct);
            (subject, text) = SignsAgain(round, agreement)
                ? ($"Signed again by every party: {agreement.Title}", $"Every party has signed the changed text of {agreement.Title} ({agreement.Reference}).")
                : round.Joining
                ? ($"Joined: {agreement.Title}", $"{Names(agreement, round.Parties.Select(p => p.OrganisationId))} signed {agreement.Title} ({agreement.Reference}) and {(round.Parties.Count == 1 ? "is" : "are")} now bound by it with the other parties.")
                : ($"Signed by every party: {agreement.Title}", $"Every party has signed {agreement.Title} ({agreement.Reference}). It is active and published in the register.");
        }
        else (subject, text) = ($"Signed by {Name(agreement, organisationId)}: {agreement.Title}",
            $"{Name(agreement, organisationId)} has signed {agreement.Title}. {round.Parties.Count(p => p.Decision == PartyDecision.Pending)} more to sign.");
        await db.SaveChangesAsync(ct);
        await TellAsync(agreement, OrganisationRole.Editor | OrganisationRole.Signatory, subject, text, ct);
        return null;
    }

    /// <summary>Why the viewer may not act for the organisation on this round, or null. Acting for a party needs the role in it: no one else, not even a framework administrator, can sign for it.</summary>
    string? Refusal(Agreement agreement, SignOffRound round, int organisationId, Viewer viewer, OrganisationRole role, string act)
    {
        if (round.State != SignOffState.Open) return "This sign-off has ended: the agreement was signed by every party or declined";
        if (round.Parties.All(p => p.OrganisationId != organisationId))
            return round.Joining && agreement.Parties.Any(p => p.OrganisationId == organisationId)
                ? $"{Name(agreement, organisationId)} has already signed: only the parties added since sign off now"
                : "That organisation is not a party to this agreement";
        if (!viewer.MayChange || !viewer.Roles.TryGetValue(organisationId, out var held) || !held.HasFlag(role))
            return $"You cannot {act} {Name(agreement, organisationId)}: that needs its {(role == OrganisationRole.Signatory ? "signatory" : "data protection officer")} role";
        if (DocumentHash(agreement) != round.DocumentHash)
            return "The agreement has changed since it was sent, so this is no longer the version to sign. The lead organisation must send it again";
        return null;
    }

    /// <summary>
    /// Active, published with the chosen visibility, and a signature record kept with it. When parties joined later,
    /// the record is made again, as a new version, with every signature of the same text.
    /// </summary>
    async Task CompleteAsync(Agreement agreement, SignOffRound round, Viewer viewer, CancellationToken ct)
    {
        round.State = SignOffState.Completed;
        var earlier = await db.SignOffs.AsNoTracking().Include(s => s.Parties)
            .Where(s => s.AgreementId == agreement.Id && s.State == SignOffState.Completed && s.DocumentHash == round.DocumentHash && s.Id != round.Id).ToListAsync(ct);
        var existing = agreement.Files.FirstOrDefault(f => f.Kind == FileKind.SignatureSheet && f.Versions.Any(v => v.FileName == SignatureRecordName));
        await using (var record = new MemoryStream(Encoding.UTF8.GetBytes(SignatureRecord(agreement, [.. earlier, round]))))
        {
            var (_, failure) = await uploader.UploadAsync(agreement, existing, FileKind.SignatureSheet, record, SignatureRecordName, viewer.Actor, ct);
            if (failure is not null) throw new InvalidOperationException($"The signature record was refused: {failure.Detail}");
        }
        if (round.Joining)
        {
            AuditTrail.Record(db, viewer.Actor, "signoff.joined", AgreementCommands.Subject(agreement),
                new { agreement.Reference, parties = round.Parties.Select(p => Name(agreement, p.OrganisationId)) }, clock, agreement.LeadOrganisationId);
            return;
        }
        agreement.Visibility = round.PublishAs;
        var errors = await agreements.PublishAsync(agreement, viewer, ct);
        if (errors.Count > 0) logger.LogWarning("{Reference} was signed by every party but cannot be published: {Errors}", agreement.Reference, errors);
        AuditTrail.Record(db, viewer.Actor, "signoff.completed", AgreementCommands.Subject(agreement),
            new { agreement.Reference, visibility = round.PublishAs.Slug() }, clock, agreement.LeadOrganisationId);
    }

    const string SignatureRecordName = "signature-record.html";

    string SignatureRecord(Agreement agreement, IReadOnlyList<SignOffRound> rounds)
    {
        var rows = string.Concat(rounds.SelectMany(r => r.Parties).Select(p => $"<tr><td>{E(Name(agreement, p.OrganisationId))}</td><td>{E(p.DecidedBy)}</td>" +
            $"<td>{E(Display.Date(p.DecidedAt))}</td><td>{E(p.ReviewedBy is null ? "" : $"{p.ReviewedBy}, {Display.Date(p.ReviewedAt)}")}</td></tr>"));
        var first = rounds[0];
        var joined = rounds.Count > 1 ? $" Parties added later signed the same text alone: {E(string.Join(", ", rounds.Skip(1).SelectMany(r => r.Parties).Select(p => Name(agreement, p.OrganisationId))))}." : "";
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Signature record: {E(agreement.Title)}</title></head>
            <body><h1>Signature record: {E(agreement.Title)}</h1>
            <p>{E(agreement.Reference)}, {E(agreement.TemplateReference ?? "an agreement uploaded to the register")}. Sent for sign-off by {E(first.SentBy)} on {E(Display.Date(first.SentAt))}; document SHA-256 {first.DocumentHash}.{joined}</p>
            <table><caption>Who signed for each party</caption><thead><tr><th scope="col">Party</th><th scope="col">Signed by</th><th scope="col">On</th><th scope="col">Reviewed by its data protection officer</th></tr></thead>
            <tbody>{rows}</tbody></table></body></html>
            """;
    }

    /// <summary>Emails the people holding the role in each party (or only some); a message that cannot go is logged, not fatal.</summary>
    async Task TellAsync(Agreement agreement, OrganisationRole roles, string subject, string text, CancellationToken ct, IReadOnlyList<int>? only = null)
    {
        var organisations = only ?? agreement.Parties.Select(p => p.OrganisationId).ToList();
        var people = await db.Memberships.AsNoTracking().Where(m => organisations.Contains(m.OrganisationId))
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.Roles, u.Email }).ToListAsync(ct);
        await mailer.NotifyAsync(people.Where(p => (p.Roles & roles) != 0 && p.Email is not null).Select(p => p.Email!), $"{subject} ({agreement.Reference})",
            $"{text}\n\nOpen it in Concordat: {site.Link($"/agreements/{agreement.Id}/sign-off")}", ct);
    }

    public static string Names(Agreement agreement, IEnumerable<int> organisationIds) => string.Join(" and ", organisationIds.Select(id => Name(agreement, id)));
    static string Name(Agreement agreement, int organisationId) => agreement.Parties.FirstOrDefault(p => p.OrganisationId == organisationId)?.Organisation?.Name ?? "That organisation";
    static string? Clean(string? comment) => string.IsNullOrWhiteSpace(comment) ? null : comment.Trim()[..Math.Min(comment.Trim().Length, 2000)];
    static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
