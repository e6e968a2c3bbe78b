namespace Concordat.Agreements;

// The controlled vocabularies of the record (DOMAIN.md). The API and forms use each value's slug
// (EnumSlug: "public-task"); Describe gives the words people read.

public enum AgreementType { InformationSharing, DataDisclosure, JointController, DataProcessing, OverarchingAccord }

public enum PartyRole { Discloser, Recipient, JointController, Processor }

public enum FlowFrequency { OneOff, OnRequest, Daily, Weekly, Monthly, Annually }

public enum DataSubject
{
    Residents, ChildrenAndYoungPeople, AdultsWithCareNeeds, Patients, Tenants, Staff, Offenders, Victims, Families, ServiceUsers,
}

public enum Sensitivity { Personal, SpecialCategory, CriminalOffence, Pseudonymised, Anonymised }

public enum LawfulBasis { Consent, Contract, LegalObligation, VitalInterests, PublicTask, LegitimateInterests }

public enum Theme
{
    FireSafety, SafeguardingChildren, SafeguardingAdults, Hoarding, DomesticAbuse, Housing, HealthAndCareIntegration,
    SupportingFamilies, AntiSocialBehaviour, EmergencyPlanning, Homelessness, MentalHealth, CommunitySafety, Education,
}

public enum DpiaStatus { Done, NotRequired, NotDone }

public enum AgreementStatus { Draft, InReview, AwaitingSignature, Active, UnderReview, Expired, Superseded, Terminated }

public enum Visibility { Public, Partners, PartiesOnly }

public enum FileKind { Agreement, Dpia, PrivacyNotice, SignatureSheet, Appendix }

public static class VocabularyText
{
    /// <summary>Statuses only a published agreement has: one not yet published is a draft, in review or awaiting signature.</summary>
    public static bool NeedsPublication(this AgreementStatus status) =>
        status is not (AgreementStatus.Draft or AgreementStatus.InReview or AgreementStatus.AwaitingSignature);

    public static string Describe(this AgreementType v) => v switch
    {
        AgreementType.InformationSharing => "Information sharing agreement (reciprocal)",
        AgreementType.DataDisclosure => "Data disclosure agreement (one-way)",
        AgreementType.JointController => "Joint controller agreement",
        AgreementType.DataProcessing => "Data processing agreement",
        _ => "Overarching accord or memorandum",
    };

    public static string Describe(this PartyRole v) => v switch
    {
        PartyRole.Discloser => "Discloser",
        PartyRole.Recipient => "Recipient",
        PartyRole.JointController => "Joint controller",
        _ => "Processor",
    };

    public static string Describe(this FlowFrequency v) => v switch
    {
        FlowFrequency.OneOff => "One-off",
        FlowFrequency.OnRequest => "On request",
        FlowFrequency.Daily => "Daily",
        FlowFrequency.Weekly => "Weekly",
        FlowFrequency.Monthly => "Monthly",
        _ => "Annually",
    };

    public static string Describe(this DataSubject v) => v switch
    {
        DataSubject.Residents => "Residents",
        DataSubject.ChildrenAndYoungPeople => "Children and young people",
        DataSubject.AdultsWithCareNeeds => "Adults with care needs",
        DataSubject.Patients => "Patients",
        DataSubject.Tenants => "Tenants",
        DataSubject.Staff => "Staff",
        DataSubject.Offenders => "Offenders",
        DataSubject.Victims => "Victims",
        DataSubject.Families => "Families",
        _ => "Service users",
    };

    public static string Describe(this Sensitivity v) => v switch
    {
        Sensitivity.Personal => "Personal data",
        Sensitivity.SpecialCategory => "Special category data (Article 9)",
        Sensitivity.CriminalOffence => "Criminal offence data (Article 10)",
        Sensitivity.Pseudonymised => "Pseudonymised data",
        _ => "Anonymised or aggregate data",
    };

    public static string Describe(this LawfulBasis v) => v switch
    {
        LawfulBasis.Consent => "6(1)(a) Consent",
        LawfulBasis.Contract => "6(1)(b) Contract",
        LawfulBasis.LegalObligation => "6(1)(c) Legal obligation",
        LawfulBasis.VitalInterests => "6(1)(d) Vital interests",
        LawfulBasis.PublicTask => "6(1)(e) Public task",
        _ => "6(1)(f) Legitimate interests",
    };

    public static string Describe(this Theme v) => v switch
    {
        Theme.FireSafety => "Fire safety",
        Theme.SafeguardingChildren => "Safeguarding children",
        Theme.SafeguardingAdults => "Safeguarding adults",
        Theme.Hoarding => "Hoarding",
        Theme.DomesticAbuse => "Domestic abuse",
        Theme.Housing => "Housing",
        Theme.HealthAndCareIntegration => "Health and care integration",
        Theme.SupportingFamilies => "Supporting families",
        Theme.AntiSocialBehaviour => "Anti-social behaviour",
        Theme.EmergencyPlanning => "Emergency planning",
        Theme.Homelessness => "Homelessness",
        Theme.MentalHealth => "Mental health",
        Theme.CommunitySafety => "Community safety",
        _ => "Education",
    };

    public static string Describe(this DpiaStatus v) => v switch
    {
        DpiaStatus.Done => "Done",
        DpiaStatus.NotRequired => "Not required",
        _ => "Not done",
    };

    public static string Describe(this AgreementStatus v) => v switch
    {
        AgreementStatus.Draft => "Draft",
        AgreementStatus.InReview => "In review",
        AgreementStatus.AwaitingSignature => "Awaiting signature",
        AgreementStatus.Active => "Active",
        AgreementStatus.UnderReview => "Under review",
        AgreementStatus.Expired => "Expired",
        AgreementStatus.Superseded => "Superseded",
        _ => "Terminated",
    };

    /// <summary>GOV.UK tag colour modifier for a status.</summary>
    public static string TagClass(this AgreementStatus v) => v switch
    {
        AgreementStatus.Active => "govuk-tag--green",
        AgreementStatus.Draft => "govuk-tag--grey",
        AgreementStatus.InReview or AgreementStatus.AwaitingSignature => "govuk-tag--blue",
        AgreementStatus.UnderReview => "govuk-tag--yellow",
        AgreementStatus.Expired or AgreementStatus.Terminated => "govuk-tag--red",
        _ => "govuk-tag--purple",
    };

    public static string Describe(this Visibility v) => v switch
    {
        Visibility.Public => "Public",
        Visibility.Partners => "Partners",
        _ => "Parties only",
    };

    public static string Describe(this FileKind v) => v switch
    {
        FileKind.Agreement => "Agreement",
        FileKind.Dpia => "Data protection impact assessment",
        FileKind.PrivacyNotice => "Privacy notice",
        FileKind.SignatureSheet => "Signature sheet",
        _ => "Appendix",
    };
}
