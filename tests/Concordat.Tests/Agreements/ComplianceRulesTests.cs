using Concordat.Agreements;
using Concordat.Agreements.Compliance;
using Concordat.Organisations;

namespace Concordat.Tests.Agreements;

/// <summary>The compliance rules on records: each principle's check, and what a legacy record cannot show.</summary>
public sealed class ComplianceRulesTests
{
    static readonly DateOnly Today = new(2026, 11, 26);

    static Organisation Assured(string name) => new() { Name = name, DsptStatus = DsptStatus.StandardsMet };

    static Agreement Complete() => new()
    {
        Title = "Home fire safety referrals",
        Purpose = "Borough officers refer residents at high risk of fire for a home fire safety visit.",
        Parties = [new() { Organisation = Assured("London Borough of Camden"), Role = PartyRole.Discloser }, new() { Organisation = Assured("London Fire Brigade"), Role = PartyRole.Recipient }],
        DataFlows = [new() { DataItems = "Name, address, risk factors", Frequency = FlowFrequency.Weekly }],
        LawfulBases = [LawfulBasis.PublicTask],
        LegalPowers = ["Fire and Rescue Services Act 2004 s6"],
        Sensitivities = [Sensitivity.Personal],
        DataSubjects = [DataSubject.Residents],
        StartDate = new DateOnly(2025, 4, 1),
        ReviewDate = new DateOnly(2027, 4, 1),
        Files = [new() { Kind = FileKind.PrivacyNotice }],
    };

    static RuleOutcome Outcome(IReadOnlyList<RuleResult> results, string rule) => results.Single(r => r.Rule == rule).Outcome;

    [Fact]
    public void A_complete_record_drafted_from_a_template_meets_every_rule()
    {
        var results = new ComplianceRules().Check(Complete(), Today, new StatedInDocument(true, true, true, true));
        Assert.All(results, r => Assert.True(r.Outcome == RuleOutcome.Pass, $"{r.Rule}: {r.Why}"));
        Assert.Equal(["purpose", "parties", "lawful-basis", "special-category", "criminal-offence", "data-items", "retention", "security", "rights",
            "transparency", "breaches", "review-date", "dpia"], results.Select(r => r.Rule));
    }

    [Fact]
    public void A_legacy_record_is_asked_to_check_what_only_its_wording_could_show()
    {
        var results = new ComplianceRules().Check(Complete(), Today, null);
        Assert.Equal(["retention", "rights", "breaches"], results.Where(r => r.Outcome == RuleOutcome.Warning).Select(r => r.Rule));
        Assert.Contains("cannot tell whether the document states how long", results.Single(r => r.Rule == "retention").Why);
    }

    [Fact]
    public void A_bare_record_fails_with_a_reason_for_each_gap()
    {
        var results = new ComplianceRules().Check(new Agreement { Title = "Bare" }, Today);
        foreach (var rule in new[] { "purpose", "parties", "lawful-basis", "data-items", "review-date" })
            Assert.Equal(RuleOutcome.Fail, Outcome(results, rule));
        Assert.Equal("No purpose is recorded. State what the sharing is for, so that any other use is plainly outside it.", results.Single(r => r.Rule == "purpose").Why);
    }

    [Fact]
    public void Sensitive_data_needs_its_condition_and_an_impact_assessment()
    {
        var a = Complete();
        a.Sensitivities = [Sensitivity.SpecialCategory, Sensitivity.CriminalOffence];
        a.DataSubjects = [DataSubject.ChildrenAndYoungPeople];
        var results = new ComplianceRules().Check(a, Today);
        Assert.Equal(RuleOutcome.Fail, Outcome(results, "special-category"));
        Assert.Equal(RuleOutcome.Fail, Outcome(results, "criminal-offence"));
        Assert.Equal("The sharing involves special category data and children's data, so an impact assessment is needed and none is recorded.",
            results.Single(r => r.Rule == "dpia").Why);

        a.SpecialCategoryCondition = "Article 9(2)(h), Schedule 1 paragraph 2; Article 10, Schedule 1 paragraph 10";
        a.Dpia = DpiaStatus.NotRequired;
        results = new ComplianceRules().Check(a, Today);
        Assert.Equal(RuleOutcome.Pass, Outcome(results, "special-category"));
        Assert.Equal(RuleOutcome.Warning, Outcome(results, "dpia"));
        a.Dpia = DpiaStatus.Done;
        Assert.Equal(RuleOutcome.Pass, Outcome(new ComplianceRules().Check(a, Today), "dpia"));
    }

    [Fact]
    public void The_review_date_must_be_set_not_overdue_and_within_the_configured_years()
    {
        var a = Complete();
        a.ReviewDate = new DateOnly(2026, 11, 25);
        Assert.Contains("was due on 25 November 2026 and is overdue", new ComplianceRules().Check(a, Today).Single(r => r.Rule == "review-date").Why);
        a.ReviewDate = new DateOnly(2029, 4, 2);
        Assert.Equal(RuleOutcome.Fail, Outcome(new ComplianceRules().Check(a, Today), "review-date"));
        Assert.Equal(RuleOutcome.Pass, Outcome(new ComplianceRules(maxReviewYears: 5).Check(a, Today), "review-date"));
        a.Status = AgreementStatus.Terminated;
        Assert.Equal(RuleOutcome.Pass, Outcome(new ComplianceRules().Check(a, Today), "review-date"));
    }

    [Fact]
    public void A_party_without_current_assurance_is_named()
    {
        var a = Complete();
        a.Parties.Add(new AgreementParty { Organisation = new Organisation { Name = "Small Charity", Iso27001Expiry = new DateOnly(2026, 1, 1) }, Role = PartyRole.Recipient });
        var security = new ComplianceRules().Check(a, Today).Single(r => r.Rule == "security");
        Assert.Equal(RuleOutcome.Warning, security.Outcome);
        Assert.StartsWith("Small Charity has no current security assurance recorded.", security.Why);
    }
}
