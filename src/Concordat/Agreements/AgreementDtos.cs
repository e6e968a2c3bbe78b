using Concordat.Documents;

namespace Concordat.Agreements;

// What the API returns. Enums are written as their slugs by the JSON options in Program.

public sealed record OrganisationRef(int Id, string Name);

/// <param name="Snippet">for a search: the best passage with the words found in &lt;mark&gt;, as HTML whose text is already escaped</param>
public sealed record AgreementSummaryDto(int Id, string Reference, string Title, AgreementStatus Status, AgreementType? AgreementType,
    OrganisationRef LeadOrganisation, DateOnly? StartDate, DateOnly? ReviewDate, Visibility Visibility, bool Published, string Url, string? Snippet = null)
{
    public static AgreementSummaryDto From(RegisterRow r) => new(r.Id, r.Reference, r.Title, r.Status, r.AgreementType,
        new OrganisationRef(r.LeadOrganisationId, r.LeadOrganisation), r.StartDate, r.ReviewDate, r.Visibility, r.Published, $"/api/v1/agreements/{r.Id}");
}

public sealed record AgreementListDto(IReadOnlyList<AgreementSummaryDto> Items, int Total, int Page, int PageSize,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Facets);

public sealed record PartyDto(int OrganisationId, string Name, PartyRole Role);
public sealed record DataFlowDto(OrganisationRef From, OrganisationRef To, string DataItems, FlowFrequency Frequency);

public sealed record DocumentDto(int Id, int FileId, int Version, FileKind Kind, string FileName, string MediaType, long SizeBytes, string Sha256,
    int? PageCount, bool HasText, TextSource TextSource, DateTimeOffset UploadedAt, string ContentUrl, string TextUrl)
{
    public static DocumentDto From(AgreementFile file, FileVersion v) => new(v.Id, file.Id, v.Number, file.Kind, v.FileName, v.MediaType, v.SizeBytes,
        v.Sha256, v.PageCount, v.HasText, v.TextSource, v.UploadedAt, $"/api/v1/documents/{v.Id}/content", $"/api/v1/documents/{v.Id}/text");
}

/// <param name="ContributedByOrganisationId">the party organisation that added the file, whose editors keep it; null for the lead's own documents</param>
public sealed record FileDto(int Id, FileKind Kind, int? ContributedByOrganisationId, IReadOnlyList<DocumentDto> Versions);

public sealed record AgreementDto(
    int Id, string Reference, string Title, AgreementType? AgreementType, string? Purpose, string? Benefits, string? Description,
    OrganisationRef LeadOrganisation, IReadOnlyList<PartyDto> Parties, IReadOnlyList<DataFlowDto> DataFlows,
    IReadOnlyList<DataSubject> DataSubjects, IReadOnlyList<Sensitivity> Sensitivity, IReadOnlyList<LawfulBasis> LawfulBasis,
    string? SpecialCategoryCondition, IReadOnlyList<string> LegalPowers, bool PanLondon, IReadOnlyList<string> Boroughs,
    IReadOnlyList<Theme> Themes, DpiaStatus? Dpia, AgreementStatus Status, DateOnly? StartDate, DateOnly? ReviewDate, DateOnly? EndDate,
    string? Version, string? Supersedes, string? Template, Visibility Visibility, string? ContactEmail,
    IReadOnlyList<FileDto> Files, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt)
{
    public static AgreementDto From(Agreement a) => new(
        a.Id, a.Reference, a.Title, a.AgreementType, a.Purpose, a.Benefits, a.Description,
        new OrganisationRef(a.LeadOrganisationId, a.LeadOrganisation?.Name ?? ""),
        a.Parties.Select(p => new PartyDto(p.OrganisationId, p.Organisation?.Name ?? "", p.Role)).ToList(),
        a.DataFlows.Select(f => new DataFlowDto(new OrganisationRef(f.FromOrganisationId, f.FromOrganisation?.Name ?? ""),
            new OrganisationRef(f.ToOrganisationId, f.ToOrganisation?.Name ?? ""), f.DataItems, f.Frequency)).ToList(),
        a.DataSubjects, a.Sensitivities, a.LawfulBases, a.SpecialCategoryCondition, a.LegalPowers, a.PanLondon, a.BoroughCodes,
        a.Themes, a.Dpia, a.Status, a.StartDate, a.ReviewDate, a.EndDate, a.VersionLabel, a.Supersedes?.Reference, a.TemplateReference,
        a.Visibility, a.ContactEmail,
        a.Files.OrderBy(f => f.Kind).ThenBy(f => f.Id)
            .Select(f => new FileDto(f.Id, f.Kind, f.ContributedByOrganisationId, f.Versions.OrderByDescending(v => v.Number).Select(v => DocumentDto.From(f, v)).ToList())).ToList(),
        a.CreatedAt, a.UpdatedAt, a.PublishedAt);
}

/// <param name="Field">the record's field: parties, start-date, review-date, lawful-basis, special-category-condition, legal-powers</param>
/// <param name="Value">what to put in that field (an organisation id for a party, an ISO date, a slug)</param>
/// <param name="OrganisationId">the organisation it belongs to: the party suggested, or the party whose lawful basis it is</param>
public sealed record SuggestionDto(string Field, string Value, string Shown, string Evidence, int? OrganisationId);

public sealed record SuggestionListDto(IReadOnlyList<SuggestionDto> Items);
