namespace Concordat.Agreements;

/// <summary>
/// What a person or a client sends to create or replace a record: the API's JSON body and the edit
/// form bind to this one shape. Controlled values arrive as strings so that an unknown value is a
/// field-level error with the accepted values, not a serializer failure.
/// </summary>
public sealed class AgreementInput
{
    public string? Title { get; set; }
    public string? AgreementType { get; set; }
    public string? Purpose { get; set; }
    public string? Benefits { get; set; }
    /// <summary>The full statement, as long as it is; the purpose is its short form for lists.</summary>
    public string? Description { get; set; }
    public int? LeadOrganisationId { get; set; }
    public List<PartyInput>? Parties { get; set; }
    public List<DataFlowInput>? DataFlows { get; set; }
    public List<string>? DataSubjects { get; set; }
    public List<string>? Sensitivity { get; set; }
    public List<string>? LawfulBasis { get; set; }
    public string? SpecialCategoryCondition { get; set; }
    public List<string>? LegalPowers { get; set; }
    public bool? PanLondon { get; set; }
    /// <summary>GSS codes of the boroughs covered.</summary>
    public List<string>? Boroughs { get; set; }
    public List<string>? Themes { get; set; }
    public string? Dpia { get; set; }
    public string? Status { get; set; }
    public string? StartDate { get; set; }
    public string? ReviewDate { get; set; }
    public string? EndDate { get; set; }
    public string? Version { get; set; }
    /// <summary>Reference of the agreement this one replaces, e.g. DSA-2024-00012.</summary>
    public string? Supersedes { get; set; }
    public string? Visibility { get; set; }
    public string? ContactEmail { get; set; }
}

public sealed class PartyInput
{
    public int? OrganisationId { get; set; }
    public string? Role { get; set; }
}

public sealed class DataFlowInput
{
    public int? FromOrganisationId { get; set; }
    public int? ToOrganisationId { get; set; }
    public string? DataItems { get; set; }
    public string? Frequency { get; set; }
}
