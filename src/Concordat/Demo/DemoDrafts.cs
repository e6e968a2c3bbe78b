using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Templates;
using Concordat.Templates.Drafting;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Demo;

/// <summary>
/// Demo agreements drafted from the starter templates, through the same drafting commands as a person's draft: two
/// published as the standard, and one still a draft that changes wording the framework fixed, waiting for approval.
/// </summary>
public sealed class DemoDrafts(ConcordatDb db, DraftCommands drafts, AgreementCommands commands, TimeProvider clock)
{
    static readonly Viewer Actor = Viewer.Process("demo data");

    sealed record Plan(TemplateType Type, string LeadShortName, (string ShortName, PartyRole Role)[] Parties, Dictionary<string, string> Answers,
        bool Publish, (string Section, string Addition)? Departure = null);

    public async Task<int> EnsureAsync(CancellationToken ct)
    {
        var organisations = await db.Organisations.AsNoTracking().Where(o => o.ShortName != null).ToDictionaryAsync(o => o.ShortName!, o => o.Id, ct);
        var names = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Plan[] plans =
        [
            new(TemplateType.InformationSharing, "LFB", [("LFB", PartyRole.JointController), ("Camden", PartyRole.JointController), ("LAS", PartyRole.Discloser)],
                Answers("Hospital discharge home fire safety visits: Camden", "To offer a home fire safety visit to people going home from hospital who are at higher risk of fire.",
                    "Fewer fires and fire injuries among people recovering at home.", "patients\nresidents", "Name\nAddress\nTelephone number\nDate of discharge\nRisk factors",
                    special: true, reciprocal: true, today.AddMonths(-5), today.AddMonths(-5).AddYears(2), "Fire and Rescue Services Act 2004 s6\nCare Act 2014 s6"),
                Publish: true),
            new(TemplateType.DataDisclosure, "Hackney", [("Hackney", PartyRole.Discloser), ("Met Police", PartyRole.Recipient)],
                Answers("Anti-social behaviour case disclosures: Hackney", "To tell the police which cases of persistent anti-social behaviour the council's community safety team is working on, so that both act on the same cases.",
                    "Joined-up responses to persistent anti-social behaviour; victims contacted once.", "residents\ntenants", "Name\nAddress\nCase summary\nActions agreed",
                    special: false, reciprocal: false, today.AddMonths(-2), today.AddMonths(-2).AddYears(1), "Crime and Disorder Act 1998 s115\nAnti-social Behaviour, Crime and Policing Act 2014 s2"),
                Publish: true),
            new(TemplateType.InformationSharing, "Islington", [("Islington", PartyRole.JointController), ("LFB", PartyRole.JointController)],
                Answers("Hoarding panel referrals: Islington", "To agree a plan with residents whose hoarding puts them or their neighbours at risk of fire.",
                    "Coordinated support, and a lower risk of fire in blocks of flats.", "adults-with-care-needs\ntenants", "Name\nAddress\nNature of the hoarding\nAccess needs",
                    special: true, reciprocal: true, today.AddDays(14), today.AddDays(14).AddYears(2), "Care Act 2014 s42\nFire and Rescue Services Act 2004 s6"),
                Publish: false, Departure: ("breaches", "The parties also tell the hoarding panel's chair within one working day.")),
        ];
        var templates = await db.Templates.Include(t => t.Versions).ToListAsync(ct);
        var made = 0;
        foreach (var plan in plans)
        {
            if (plan.Parties.Any(p => !organisations.ContainsKey(p.ShortName))) continue; // a registry without these partners
            var template = templates.Single(t => t.Type == plan.Type);
            var version = template.Versions.Where(v => v.State == TemplateState.PreApproved).MaxBy(v => v.Number)!;
            var answers = new Dictionary<string, string>(plan.Answers)
            {
                ["parties"] = string.Join('\n', plan.Parties.Select(p => $"{organisations[p.ShortName]}:{p.Role.Slug()}")),
                ["contact_email"] = $"information.governance@{plan.LeadShortName.ToLowerInvariant().Replace(" ", "")}.example.gov.uk",
            };
            var draft = new AgreementDraft
            {
                TemplateVersion = version, TemplateVersionId = version.Id, LeadOrganisationId = organisations[plan.LeadShortName], UserId = "demo data",
                Answers = answers, CreatedAt = clock.GetUtcNow(), UpdatedAt = clock.GetUtcNow(),
            };
            db.AgreementDrafts.Add(draft);
            if (plan.Departure is var (section, addition))
                draft.Wording[section] = new DraftDocument(template, draft, names).Sections.Single(s => s.Section.Key == section).TemplateWording + "\n\n" + addition;
            var (agreement, errors) = await drafts.SaveToRegisterAsync(template, draft, null, new DraftDocument(template, draft, names), Actor, tellApprovers: false, ct);
            if (agreement is null) throw new InvalidOperationException($"Demo draft '{answers["title"]}' is invalid: {string.Join("; ", errors.SelectMany(e => e.Value))}");
            if (plan.Publish)
            {
                agreement.Visibility = Visibility.Public;
                var refused = await commands.PublishAsync(agreement, Actor, ct);
                if (refused.Count > 0) throw new InvalidOperationException($"Demo {agreement.Reference} cannot be published: {string.Join("; ", refused.SelectMany(e => e.Value))}");
            }
            made++;
        }
        return made;
    }

    static Dictionary<string, string> Answers(string title, string purpose, string benefits, string subjects, string items, bool special, bool reciprocal,
        DateOnly start, DateOnly review, string powers) => new Dictionary<string, string>
    {
        ["title"] = title, ["purpose"] = purpose, ["benefits"] = benefits, ["reciprocal"] = reciprocal ? "yes" : "no",
        ["data_subjects"] = subjects, ["data_items"] = items, ["frequency"] = "weekly",
        ["special_category"] = special ? "yes" : "no", ["criminal_offence"] = "no", ["lawful_basis"] = "public-task",
        ["special_category_condition"] = special ? "Article 9(2)(h), DPA 2018 Schedule 1 paragraph 2" : "",
        ["legal_powers"] = powers, ["dpia"] = "done", ["dpia_summary"] = "Low risk with the controls in this agreement.",
        ["privacy_notice"] = "Each party's privacy notice on its website", ["transfer_method"] = "secure-email",
        ["retention"] = "Two years after the case closes, then deleted.",
        ["start_date"] = start.ToString("yyyy-MM-dd"), ["review_date"] = review.ToString("yyyy-MM-dd"),
    }.Where(answer => answer.Value.Length > 0).ToDictionary(); // an unanswered question has no answer, not an empty one
}
