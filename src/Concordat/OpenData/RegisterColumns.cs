using System.Globalization;
using Concordat.Agreements;
using Concordat.Organisations;
using Concordat.Shared;

namespace Concordat.OpenData;

/// <summary>
/// The register as columns, named after the minimal record (DOMAIN.md), for the CSV export. Several values in one cell
/// are separated by "; ". Vocabularies are written as their slugs (the words the API and the query strings use), so a
/// file can be filtered and joined without guessing at spellings.
/// </summary>
public static class RegisterColumns
{
    public sealed record Column(string Name, string Description, Func<Agreement, string, string?> Value);

    /// <summary>Every column in file order. The second argument of a value is the site's address, for links.</summary>
    public static readonly IReadOnlyList<Column> All =
    [
        new("reference", "The register's stable reference, e.g. DSA-2026-00042", (a, _) => a.Reference),
        new("title", "Title", (a, _) => a.Title),
        new("agreement_type", "One of: " + string.Join(", ", EnumSlug<AgreementType>.All), (a, _) => a.AgreementType?.Slug()),
        new("status", "One of: " + string.Join(", ", EnumSlug<AgreementStatus>.All), (a, _) => ShownStatus(a).Slug()),
        new("purpose", "What the sharing is for, in plain English", (a, _) => a.Purpose),
        new("benefits", "The benefits expected", (a, _) => a.Benefits),
        new("description", "The agreement's full statement of what is shared and why, where it is longer than the purpose", (a, _) => a.Description),
        new("lead_organisation", "The organisation that leads the agreement", (a, _) => a.LeadOrganisation?.Name),
        new("lead_organisation_code", "Its GSS or ODS code, where it has one", (a, _) => a.LeadOrganisation is { } o ? CodeOf(o) : null),
        new("parties", "Each party with its role in brackets: " + string.Join(", ", EnumSlug<PartyRole>.All),
            (a, _) => Join(a.Parties.Select(p => $"{p.Organisation?.Name} ({p.Role.Slug()})"))),
        new("data_flows", "Each flow as: from > to: data items (frequency)",
            (a, _) => Join(a.DataFlows.Select(f => $"{f.FromOrganisation?.Name} > {f.ToOrganisation?.Name}: {f.DataItems.Replace(';', ',')} ({f.Frequency.Slug()})"))),
        new("data_subjects", "Whose data: " + string.Join(", ", EnumSlug<DataSubject>.All), (a, _) => Join(a.DataSubjects.Select(s => s.Slug()))),
        new("sensitivity", "Of: " + string.Join(", ", EnumSlug<Sensitivity>.All), (a, _) => Join(a.Sensitivities.Select(s => s.Slug()))),
        new("lawful_basis", "UK GDPR Article 6 bases: " + string.Join(", ", EnumSlug<LawfulBasis>.All), (a, _) => Join(a.LawfulBases.Select(b => b.Slug()))),
        new("special_category_condition", "The Article 9 or 10 condition, with the DPA 2018 Schedule 1 paragraph", (a, _) => a.SpecialCategoryCondition),
        new("legal_powers", "Statutes and sections relied on", (a, _) => Join(a.LegalPowers)),
        new("geography", "Boroughs covered by GSS code, or pan-london", (a, _) => Join(a.BoroughCodes.Prepend(a.PanLondon ? "pan-london" : null))),
        new("themes", "Of: " + string.Join(", ", EnumSlug<Theme>.All), (a, _) => Join(a.Themes.Select(t => t.Slug()))),
        new("dpia", "Data protection impact assessment: " + string.Join(", ", EnumSlug<DpiaStatus>.All), (a, _) => a.Dpia?.Slug()),
        new("start_date", "ISO date", (a, _) => Date(a.StartDate)),
        new("review_date", "ISO date", (a, _) => Date(a.ReviewDate)),
        new("end_date", "ISO date", (a, _) => Date(a.EndDate)),
        new("version", "The agreement's own version label", (a, _) => a.VersionLabel),
        new("supersedes", "The reference of the agreement this one replaces", (a, _) => a.Supersedes?.Reference),
        new("template", "The pre-approved template and version it was built on; empty for a legacy agreement", (a, _) => a.TemplateReference),
        new("visibility", "Who may see the record: " + string.Join(", ", EnumSlug<Visibility>.All), (a, _) => a.Visibility.Slug()),
        new("contact_email", "A role mailbox for questions about the agreement", (a, _) => a.ContactEmail),
        new("published_at", "When it was published to the register (UTC)", (a, _) => a.PublishedAt?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
        new("updated_at", "When the record last changed (UTC)", (a, _) => a.UpdatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
        new("url", "The agreement's page on the register", (a, site) => $"{site}/agreements/{a.Id}"),
    ];

    static string? CodeOf(Organisation o) => o.GssCode ?? o.OdsCode;

    /// <summary>An agreement not yet published is a draft (or in review, or awaiting signature), whatever status its record was given.</summary>
    static AgreementStatus ShownStatus(Agreement a) =>
        a.IsPublished || !a.Status.NeedsPublication() ? a.Status : AgreementStatus.Draft;

    static string? Date(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    static string? Join(IEnumerable<string?> values)
    {
        var text = string.Join("; ", values.Where(v => !string.IsNullOrWhiteSpace(v)));
        return text.Length == 0 ? null : text;
    }
}
