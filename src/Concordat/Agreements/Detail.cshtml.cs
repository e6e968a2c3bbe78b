using Concordat.Audit;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

public sealed class AgreementPageModel(ConcordatDb db, AgreementCommands commands, Viewer viewer, TimeProvider clock, Compliance.ComplianceRules rules,
    ITextHighlighter? highlighter = null) : FormPage
{
    public Agreement Agreement { get; private set; } = null!;
    /// <summary>Extracted text of each file's latest version, by blob hash.</summary>
    public Dictionary<string, string> Texts { get; private set; } = [];
    /// <summary>The words searched for, when the person came from a search: marked in each text view.</summary>
    [FromQuery(Name = "q")] public string? Q { get; set; }

    /// <summary>A file's text, HTML-encoded, with the searched words marked and numbered for "next match" links.</summary>
    public (Microsoft.AspNetCore.Html.IHtmlContent Html, int Matches) TextView(string text, int fileId)
    {
        if (string.IsNullOrWhiteSpace(Q) || highlighter is null) return (new Microsoft.AspNetCore.Html.HtmlString(System.Net.WebUtility.HtmlEncode(text)), 0);
        var (html, matches) = highlighter.Highlight(Q, text, $"file-{fileId}-match");
        return (new Microsoft.AspNetCore.Html.HtmlString(html), matches);
    }
    /// <summary>The viewer may change something of the agreement: all of it (<see cref="CanChangeEverything"/>), or as a party's editor what their organisation contributes.</summary>
    public bool CanEdit { get; private set; }
    /// <summary>The lead's editors and framework administrators: the whole record, every file, publication.</summary>
    public bool CanChangeEverything => CanEdit && AgreementAccess.MayChangeEverything(viewer, Agreement.LeadOrganisationId);
    public bool CanPublish => CanChangeEverything;
    /// <summary>Whether the viewer may upload a new version of the file: the lead's editors any, a party's editors their organisation's own.</summary>
    public bool CanUploadVersionOf(AgreementFile file) => CanChangeEverything
        || (CanEdit && file.ContributedByOrganisationId is int by && AgreementAccess.ContributesFor(viewer, Agreement.Parties.Select(p => p.OrganisationId)).Contains(by));
    /// <summary>The names of the party organisations that added files, by id (exports need none of them, so only this page looks them up).</summary>
    public Dictionary<int, string> Contributors { get; private set; } = [];
    /// <summary>The agreement's own audit trail, for signed-in partners who can see it (it names officers).</summary>
    public IReadOnlyList<Audit.AuditEvent> History { get; private set; } = [];
    /// <summary>For partners: the agreement's milestones (created, sent for sign-off, signed, published...), oldest first.</summary>
    public IReadOnlyList<TimelineStep> Timeline { get; private set; } = [];
    [TempData] public string? Notice { get; set; }
    /// <summary>The compliance rules' verdicts, for signed-in partners (the security rule speaks of parties' assurance).</summary>
    public IReadOnlyList<Compliance.RuleResult> Compliance { get; private set; } = [];
    /// <summary>What the files' text says for fields the record leaves empty; shown to those who may edit.</summary>
    public IReadOnlyList<Suggestion> Suggestions { get; private set; } = [];
    /// <summary>The suggestions the editor chose, by key, and the role chosen for each organisation suggested as a party.</summary>
    [BindProperty] public List<string> Accept { get; set; } = [];
    [BindProperty] public Dictionary<int, string> Roles { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnPostPublishAsync(int id, CancellationToken ct)
    {
        var tracked = await RegisterQuery.FindForEditAsync(db, viewer, id, ct);
        if (tracked is null || !AgreementAccess.MayPublish(viewer, tracked))
            return StatusCode(await AgreementRefusal.StatusAsync(db, viewer, id, "publish", clock, ct));
        foreach (var (field, messages) in await commands.PublishAsync(tracked, viewer, ct))
            foreach (var message in messages) Errors.Add(field, message);
        if (Errors.Count == 0)
        {
            Notice = "The agreement is published in the register.";
            return RedirectToPage(new { id });
        }
        await LoadAsync(id, ct);
        return Page();
    }

    /// <summary>Fills the empty fields the editor chose from the suggestions; what the record already says is never changed.</summary>
    public async Task<IActionResult> OnPostSuggestionsAsync(int id, CancellationToken ct)
    {
        var tracked = await RegisterQuery.FindForEditAsync(db, viewer, id, ct);
        if (tracked is null || !AgreementAccess.MayChangeEverything(viewer, tracked.LeadOrganisationId))
            return StatusCode(await AgreementRefusal.StatusAsync(db, viewer, id, "fill from suggestions", clock, ct));
        if (!await LoadAsync(id, ct)) return NotFound();
        // Chosen from the suggestions worked out again now, so a stale form cannot fill a field that has since been filled.
        var chosen = Suggestions.Where(s => Accept.Contains(s.Key)).ToList();
        if (chosen.Count == 0)
            Errors.Add(SuggestionsAnchor, Accept.Count == 0 ? "Choose the suggestions to fill in" : "Those suggestions no longer apply: the record has changed since. Choose again.");
        foreach (var party in chosen.Where(s => s.OrganisationId is not null && string.IsNullOrWhiteSpace(Roles.GetValueOrDefault(s.OrganisationId.Value))))
            Errors.Add(RoleField(party.OrganisationId!.Value), $"Select the role of {party.Shown}");
        if (Errors.Count > 0) return Page();

        var input = tracked.ToInput();
        var byField = chosen.ToLookup(s => s.Field);
        if (byField[TextSuggestions.Parties].Any())
            input.Parties = byField[TextSuggestions.Parties].Select(s => new PartyInput { OrganisationId = s.OrganisationId, Role = Roles[s.OrganisationId!.Value] }).ToList();
        if (byField[TextSuggestions.StartDate].FirstOrDefault() is { } start) input.StartDate = start.Value;
        if (byField[TextSuggestions.ReviewDate].FirstOrDefault() is { } review) input.ReviewDate = review.Value;
        if (byField[TextSuggestions.LawfulBasis].Any()) input.LawfulBasis = byField[TextSuggestions.LawfulBasis].Select(s => s.Value).ToList();
        if (byField[TextSuggestions.SpecialCategoryCondition].FirstOrDefault() is { } condition) input.SpecialCategoryCondition = condition.Value;
        if (byField[TextSuggestions.LegalPowers].Any()) input.LegalPowers = byField[TextSuggestions.LegalPowers].Select(s => s.Value).ToList();
        foreach (var (field, messages) in (await commands.UpdateAsync(tracked, input, viewer, ct)).Errors)
            foreach (var message in messages) Errors.Add(field, message);
        if (Errors.Count > 0) return Page();
        Notice = $"Filled in {byField.Count} {(byField.Count == 1 ? "field" : "fields")} from the agreement's text.";
        return RedirectToPage(new { id });
    }

    public const string SuggestionsAnchor = "suggestion-0";

    public static string FieldName(string field) => field switch
    {
        TextSuggestions.Parties => "Party",
        TextSuggestions.StartDate => "Start date",
        TextSuggestions.ReviewDate => "Review date",
        TextSuggestions.LawfulBasis => "Lawful basis",
        TextSuggestions.SpecialCategoryCondition => "Article 9 condition",
        _ => "Legal power",
    };
    public static string RoleField(int organisationId) => $"role-{organisationId}";

    async Task<bool> LoadAsync(int id, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindVisibleAsync(db, viewer, id, ct);
        if (agreement is null) return false;
        Agreement = agreement;
        CanEdit = await db.Agreements.EditableBy(viewer).AnyAsync(a => a.Id == id, ct);
        var hashes = agreement.Files.Select(f => Latest(f).Sha256).ToList();
        Texts = await db.FileTexts.AsNoTracking().Where(t => hashes.Contains(t.Sha256)).ToDictionaryAsync(t => t.Sha256, t => t.Text, ct);
        var contributors = agreement.Files.Select(f => f.ContributedByOrganisationId).OfType<int>().Distinct().ToList();
        if (contributors.Count > 0)
            Contributors = await db.Organisations.AsNoTracking().Where(o => contributors.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        if (CanChangeEverything)
            Suggestions = new TextSuggestions(await db.Organisations.AsNoTracking().ToListAsync(ct)).For(agreement, Texts.Values);
        if (viewer.IsPartner)
        {
            Compliance = rules.Check(agreement, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
            var subject = AgreementCommands.Subject(agreement);
            History = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject).OrderByDescending(e => e.Id).Take(100).ToListAsync(ct);
            var milestones = await db.AuditEvents.AsNoTracking().Where(e => e.Subject == subject && TimelineStep.Milestones.Contains(e.Action))
                .OrderBy(e => e.Id).Take(200).ToListAsync(ct);
            var named = milestones.Select(e => e.OrganisationId).OfType<int>().Distinct().ToList();
            var names = await db.Organisations.AsNoTracking().Where(o => named.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
            Timeline = milestones.Select(e => TimelineStep.From(e, e.OrganisationId is { } o ? names.GetValueOrDefault(o) : null)).ToList();
        }
        return true;
    }

    /// <summary>Errors link to where each can be put right: the suggestions on this page, or the page for the field.</summary>
    public IReadOnlyList<(string? Href, string Message)> ErrorLinks =>
        Errors.SelectMany(kv => kv.Value.Select(m => ((string?)(kv.Key.StartsWith("suggestion-") || kv.Key.StartsWith("role-") ? $"#{kv.Key}"
            : kv.Key == "files" ? $"/agreements/{Agreement.Id}/files/new"
            : $"/agreements/{Agreement.Id}/edit#{Edit.AgreementFormPage.AnchorFor(kv.Key)}"), m))).ToList();

    public static string Describe(Audit.AuditEvent e) => e.Action switch
    {
        "agreement.created" => "Record created",
        "agreement.updated" => "Record changed",
        "agreement.published" => "Published",
        "file.uploaded" => "File uploaded",
        "file.downloaded" => "File downloaded",
        "access.refused" => "Change refused",
        "agreement.lead-changed" => "New lead organisation",
        _ => e.Action,
    };

    public static FileVersion Latest(AgreementFile file) => file.Versions.MaxBy(v => v.Number)!;

    public string Geography => Agreement.PanLondon
        ? "Pan-London" + (Agreement.BoroughCodes.Count > 0 ? ", and named boroughs: " + Boroughs : "")
        : Agreement.BoroughCodes.Count > 0 ? Boroughs : "Not recorded";

    string Boroughs => string.Join(", ", Agreement.BoroughCodes.Select(c => Organisations.RegionSeed.BoroughName(c) ?? c));
}

/// <summary>One milestone in an agreement's life, as its page's timeline says it.</summary>
public sealed record TimelineStep(DateTimeOffset At, string What)
{
    /// <summary>The audit actions that are milestones; downloads, edits and refusals stay in the full history.</summary>
    public static readonly string[] Milestones =
    [
        "agreement.created", "agreement.published", "agreement.lead-changed", "signoff.sent", "signoff.sent-again", "signoff.sent-to-joining",
        "signoff.signed", "signoff.declined", "signoff.joined", "signoff.completed",
    ];

    /// <param name="organisation">the name of the event's organisation: the lead, or the party that signed or declined</param>
    public static TimelineStep From(Audit.AuditEvent e, string? organisation) => new(e.At, e.Action switch
    {
        "agreement.created" => organisation is null ? "Added to the register" : $"Added to the register, led by {organisation}",
        "agreement.published" => "Published",
        "agreement.lead-changed" => organisation is null ? "Handed to a new lead organisation" : $"Handed to a new lead organisation, {organisation}",
        "signoff.sent" => "Sent to the parties to sign",
        "signoff.sent-again" => "Sent to every party to sign again",
        "signoff.sent-to-joining" => "Sent to a joining party to sign",
        "signoff.signed" => organisation is null ? "Signed by a party" : $"Signed by {organisation}",
        "signoff.declined" => organisation is null ? "Declined by a party" : $"Declined by {organisation}",
        "signoff.joined" => organisation is null ? "A party joined" : $"{organisation} joined",
        "signoff.completed" => "Signed by every party",
        _ => e.Action,
    });
}
