using Concordat.Organisations;

namespace Concordat.Agreements.Compliance;

public enum RuleOutcome { Pass, Warning, Fail }

/// <summary>One rule's verdict on one agreement: what it checks, against which principle, and a sentence saying why and how to fix it.</summary>
public sealed record RuleResult(string Rule, string Name, string Principle, RuleOutcome Outcome, string Why);

/// <summary>
/// What the agreement's own text is known to state, for rules the record cannot answer. An agreement drafted from a
/// pre-approved template states each of these; for a legacy upload nobody has checked, so it is null.
/// </summary>
public sealed record StatedInDocument(bool Retention, bool Rights, bool Breaches, bool Transparency)
{
    /// <summary>A pre-approved template has a section for each, and its questions make the drafter answer them.</summary>
    public static readonly StatedInDocument ByTemplate = new(true, true, true, true);
}

/// <summary>
/// The compliance rules: each GDPR Article 5 principle and each item of the ICO code's checklist for a data sharing
/// agreement, as checks on what the register holds. Pure: the same agreement and day give the same verdicts, so they
/// run on a legacy upload's record as well as on a drafted agreement.
/// </summary>
public sealed class ComplianceRules(int maxReviewYears = 3)
{
    /// <summary>Parties or boroughs beyond which sharing counts as large scale, for the DPIA rule.</summary>
    const int LargeScale = 5;

    /// <summary>The rules on a register record: what its wording states is known only when it was built on a pre-approved template.</summary>
    public IReadOnlyList<RuleResult> Check(Agreement agreement, DateOnly today) =>
        Check(agreement, today, agreement.TemplateReference is null ? null : StatedInDocument.ByTemplate);

    /// <param name="agreement">with its parties (and their organisations), data flows and files</param>
    public IReadOnlyList<RuleResult> Check(Agreement agreement, DateOnly today, StatedInDocument? stated) =>
    [
        Purpose(agreement),
        Parties(agreement),
        LawfulBasis(agreement),
        SpecialCategory(agreement),
        CriminalOffence(agreement),
        DataItems(agreement),
        FromDocument("retention", "Retention stated", "Storage limitation, Article 5(1)(e)", stated?.Retention,
            "how long each party keeps the data and how it is disposed of"),
        Security(agreement, today),
        FromDocument("rights", "Rights and complaints", "Individuals' rights, Articles 12 to 22", stated?.Rights,
            "how people's requests and complaints are handled between the parties"),
        Transparency(agreement, stated),
        FromDocument("breaches", "Breach handling", "Articles 33 and 34", stated?.Breaches,
            "how the parties tell each other about a breach, and who reports it"),
        ReviewDate(agreement, today),
        Dpia(agreement),
    ];

    static RuleResult Result(string rule, string name, string principle, RuleOutcome outcome, string why) => new(rule, name, principle, outcome, why);

    static RuleResult Purpose(Agreement a)
    {
        const string name = "Purpose stated", principle = "Purpose limitation, Article 5(1)(b)";
        return string.IsNullOrWhiteSpace(a.Purpose) ? Result("purpose", name, principle, RuleOutcome.Fail, "No purpose is recorded. State what the sharing is for, so that any other use is plainly outside it.")
            : a.Purpose.Trim().Length < 40 ? Result("purpose", name, principle, RuleOutcome.Warning, "The purpose is very short. Say specifically what the data is used for, so a resident could tell whether a use is covered.")
            : Result("purpose", name, principle, RuleOutcome.Pass, "The purpose is stated.");
    }

    static RuleResult Parties(Agreement a)
    {
        const string name = "Parties and roles", principle = "ICO code: who the parties are and their roles";
        return a.Parties.Count == 0 ? Result("parties", name, principle, RuleOutcome.Fail, "No parties are recorded. Add every organisation that gives, receives or decides about the data, with its role.")
            : a.Parties.Count == 1 ? Result("parties", name, principle, RuleOutcome.Warning, "Only one party is recorded. Sharing needs at least two: add the others with their roles.")
            : Result("parties", name, principle, RuleOutcome.Pass, $"{a.Parties.Count} parties are recorded, each with its role.");
    }

    static RuleResult LawfulBasis(Agreement a)
    {
        const string name = "Lawful basis", principle = "Lawfulness, Article 5(1)(a) and Article 6";
        if (a.LawfulBases.Count == 0)
            return Result("lawful-basis", name, principle, RuleOutcome.Fail, "No Article 6 lawful basis is recorded. Record the basis each party relies on.");
        if (a.LegalPowers.Count == 0 && a.LawfulBases.Any(b => b is Agreements.LawfulBasis.PublicTask or Agreements.LawfulBasis.LegalObligation))
            return Result("lawful-basis", name, principle, RuleOutcome.Warning,
                "Public task and legal obligation rest on law, but no legal power is recorded. Name the statute that gives each party the task.");
        return Result("lawful-basis", name, principle, RuleOutcome.Pass, "A lawful basis is recorded" + (a.LegalPowers.Count > 0 ? ", with the legal powers relied on." : "."));
    }

    static RuleResult SpecialCategory(Agreement a) => ConditionRecorded(a, Sensitivity.SpecialCategory, "special-category", "Article 9 condition",
        "Special category data, Article 9", "No special category data is recorded, so no condition is needed.",
        "Special category data is shared but no Article 9 condition is recorded. Record the condition and its Schedule 1 paragraph where one is needed.",
        "An Article 9 condition is recorded for the special category data.");

    static RuleResult CriminalOffence(Agreement a) => ConditionRecorded(a, Sensitivity.CriminalOffence, "criminal-offence", "Article 10 basis",
        "Criminal offence data, Article 10", "No criminal offence data is recorded, so no Article 10 basis is needed.",
        "Criminal offence data is shared but no Article 10 basis is recorded. Record the official authority or the Schedule 1 condition relied on.",
        "A basis is recorded for the criminal offence data.");

    /// <summary>Data of this sensitivity needs a condition on the record (one field holds both the Article 9 and the Article 10 ones).</summary>
    static RuleResult ConditionRecorded(Agreement a, Sensitivity sensitivity, string rule, string name, string principle, string notShared, string missing, string recorded) =>
        !a.Sensitivities.Contains(sensitivity) ? Result(rule, name, principle, RuleOutcome.Pass, notShared)
        : string.IsNullOrWhiteSpace(a.SpecialCategoryCondition) ? Result(rule, name, principle, RuleOutcome.Fail, missing)
        : Result(rule, name, principle, RuleOutcome.Pass, recorded);

    static RuleResult DataItems(Agreement a)
    {
        const string name = "Data items listed", principle = "Data minimisation, Article 5(1)(c)";
        return a.DataFlows.Count == 0 ? Result("data-items", name, principle, RuleOutcome.Fail, "No data flows are recorded. List what data goes from which party to which, item by item, so that no more is shared than needed.")
            : a.DataFlows.Any(f => string.IsNullOrWhiteSpace(f.DataItems)) ? Result("data-items", name, principle, RuleOutcome.Fail, "A data flow lists no data items. Say which items it carries.")
            : Result("data-items", name, principle, RuleOutcome.Pass, $"{a.DataFlows.Count} data {(a.DataFlows.Count == 1 ? "flow lists its" : "flows list their")} items.");
    }

    static RuleResult FromDocument(string rule, string name, string principle, bool? stated, string what) => stated switch
    {
        true => Result(rule, name, principle, RuleOutcome.Pass, $"The agreement states {what}."),
        false => Result(rule, name, principle, RuleOutcome.Fail, $"The agreement does not state {what}. Add it."),
        null => Result(rule, name, principle, RuleOutcome.Warning,
            $"The register cannot tell whether the document states {what}. Check it does; an agreement drafted from a pre-approved template always does."),
    };

    /// <summary>Security in proportion to each party's recorded assurance: any one of DSPT standards met, Cyber Essentials, or ISO 27001, in date.</summary>
    static RuleResult Security(Agreement a, DateOnly today)
    {
        const string name = "Security assurance", principle = "Integrity and confidentiality, Article 5(1)(f)";
        var unassured = a.Parties.Where(p => p.Organisation is { } o && !Assured(o, today)).Select(p => p.Organisation!.Name).Distinct().ToList();
        if (a.Parties.Count == 0)
            return Result("security", name, principle, RuleOutcome.Warning, "With no parties recorded, no party's security assurance can be checked.");
        return unassured.Count == 0
            ? Result("security", name, principle, RuleOutcome.Pass, "Every party has current security assurance recorded (DSPT, Cyber Essentials or ISO 27001).")
            : Result("security", name, principle, RuleOutcome.Warning,
                $"{string.Join(", ", unassured)} {(unassured.Count == 1 ? "has" : "have")} no current security assurance recorded. Record it on the organisation's assurance page, or state in the agreement how each security measure is met.");
    }

    static bool Assured(Organisation o, DateOnly today) => o.DsptStatus is DsptStatus.StandardsMet or DsptStatus.StandardsExceeded
            || (o.CyberEssentials != CyberEssentialsLevel.None && (o.CyberEssentialsExpiry is null || o.CyberEssentialsExpiry >= today))
            || o.Iso27001Expiry >= today;

    static RuleResult Transparency(Agreement a, StatedInDocument? stated)
    {
        const string name = "Transparency", principle = "Fairness and transparency, Article 5(1)(a), Articles 13 and 14";
        if (stated?.Transparency == true || a.Files.Any(f => f.Kind == FileKind.PrivacyNotice))
            return Result("transparency", name, principle, RuleOutcome.Pass, "The privacy notice that tells people about the sharing is given.");
        return Result("transparency", name, principle, RuleOutcome.Warning, "No privacy notice is attached. Upload the notice that tells people about this sharing, or link to it in the agreement.");
    }

    RuleResult ReviewDate(Agreement a, DateOnly today)
    {
        const string name = "Review date", principle = "Accountability, Article 5(2)";
        if (a.Status is AgreementStatus.Expired or AgreementStatus.Superseded or AgreementStatus.Terminated)
            return Result("review-date", name, principle, RuleOutcome.Pass, "The agreement has ended, so it needs no review.");
        if (a.ReviewDate is not { } review)
            return Result("review-date", name, principle, RuleOutcome.Fail, "No review date is recorded. Set one, at most three years after the start.");
        if (review < today)
            return Result("review-date", name, principle, RuleOutcome.Fail, $"The review was due on {Shared.Display.Date(review)} and is overdue. Review the agreement and record the next review date.");
        if (review > (a.StartDate ?? today).AddYears(maxReviewYears))
            return Result("review-date", name, principle, RuleOutcome.Fail,
                $"The review date is more than {maxReviewYears} years after {(a.StartDate is null ? "today" : "the start")}. Bring it forward.");
        return Result("review-date", name, principle, RuleOutcome.Pass, $"The review is due on {Shared.Display.Date(review)}.");
    }

    static RuleResult Dpia(Agreement a)
    {
        const string name = "Impact assessment", principle = "Article 35, and accountability";
        var reasons = new List<string>();
        if (a.Sensitivities.Contains(Sensitivity.SpecialCategory)) reasons.Add("special category data");
        if (a.DataSubjects.Contains(DataSubject.ChildrenAndYoungPeople)) reasons.Add("children's data");
        if (a.PanLondon || a.BoroughCodes.Count >= LargeScale || a.Parties.Count >= LargeScale) reasons.Add("large-scale sharing");
        if (reasons.Count == 0)
            return Result("dpia", name, principle, RuleOutcome.Pass, "Nothing recorded makes an impact assessment necessary by these rules.");
        var because = string.Join(" and ", reasons);
        return a.Dpia switch
        {
            DpiaStatus.Done => Result("dpia", name, principle, RuleOutcome.Pass, $"An impact assessment is recorded, as {because} needs."),
            DpiaStatus.NotRequired => Result("dpia", name, principle, RuleOutcome.Warning, $"It is recorded as not required, but {because} usually needs one. Record why it is not needed, or carry one out."),
            _ => Result("dpia", name, principle, RuleOutcome.Fail, $"The sharing involves {because}, so an impact assessment is needed and none is recorded."),
        };
    }
}
