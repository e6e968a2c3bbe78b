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

/// <summary>
/// Compares two inputs field by field, as the register keeps them: lists are sets (it keeps no order of parties, flows or
/// values), and a missing list is an empty one. What a person may change (<see cref="AgreementAccess"/>) and what an
/// import row changes (<c>Import.Importer</c>) are both judged with it.
/// </summary>
public static class AgreementInputComparison
{
    static readonly System.Reflection.PropertyInfo[] Properties = typeof(AgreementInput).GetProperties();

    /// <summary>The properties of <see cref="AgreementInput"/> whose values differ.</summary>
    public static IReadOnlyList<string> ChangedFields(AgreementInput before, AgreementInput after) =>
        Properties.Where(p => Canonical(p.GetValue(before)) != Canonical(p.GetValue(after))).Select(p => p.Name).ToList();

    /// <summary>The property's name as the API and the error keys write it ("leadOrganisationId").</summary>
    public static string JsonName(string property) => char.ToLowerInvariant(property[0]) + property[1..];

    /// <summary>A value in a form that compares equal exactly when the register would hold the same.</summary>
    public static string Canonical(object? value) => value switch
    {
        null => "",
        string s => s,
        IEnumerable<string> values => string.Join("\u001f", values.Order(StringComparer.Ordinal)),
        IEnumerable<PartyInput> parties => string.Join("\u001f", parties.Select(p => $"{p.OrganisationId}:{p.Role}").Order(StringComparer.Ordinal)),
        DataFlowInput f => $"{f.FromOrganisationId}>{f.ToOrganisationId}:{f.Frequency}:{f.DataItems}",
        IEnumerable<DataFlowInput> flows => string.Join("\u001f", flows.Select(Canonical).Order(StringComparer.Ordinal)),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };
}
