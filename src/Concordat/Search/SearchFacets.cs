using Concordat.Agreements;
using Concordat.Organisations;
using Lucene.Net.Documents;
using Lucene.Net.Search;
using Lucene.Net.Util;

namespace Concordat.Search;

/// <summary>
/// The facets a search can be narrowed by. Each is indexed twice under its name: as terms, to filter on,
/// and as sorted-set doc values, to count in the same pass as the hits. Several values of one facet are
/// ORed; facets are ANDed; a facet's counts leave its own filter out, so a person can widen as well as narrow.
/// </summary>
public static class SearchFacets
{
    public const string Organisation = "organisation", OrganisationType = "organisationType", Borough = "borough", AgreementType = "agreementType",
        Status = "status", LawfulBasis = "lawfulBasis", Sensitivity = "sensitivity", DataSubject = "dataSubject", Theme = "theme",
        Review = "review", Origin = "origin", Year = "year";

    /// <summary>In the order pages show them.</summary>
    public static readonly string[] All = [Status, AgreementType, Organisation, OrganisationType, Borough, LawfulBasis, Sensitivity, DataSubject, Theme, Review, Origin, Year];

    /// <summary>The review facet is relative to today, so it is a range of days, not stored values.</summary>
    public const string ReviewDay = "review_day";
    public static readonly string[] ReviewValues = ["overdue", "within-90-days", "later", "none"];

    public static void AddTo(Document doc, Agreement a, IReadOnlyDictionary<int, OrganisationType> organisationTypes)
    {
        var organisations = a.Parties.Select(p => p.OrganisationId).Append(a.LeadOrganisationId).Distinct().ToList();
        Add(doc, Organisation, organisations.Select(o => o.ToString()));
        Add(doc, OrganisationType, organisations.Where(organisationTypes.ContainsKey).Select(o => EnumSlug<OrganisationType>.Of(organisationTypes[o])));
        Add(doc, Borough, a.BoroughCodes.Concat(a.PanLondon ? ["pan-london"] : []));
        Add(doc, AgreementType, a.AgreementType is { } type ? [type.Slug()] : []);
        Add(doc, Status, [a.Status.Slug()]);
        Add(doc, LawfulBasis, a.LawfulBases.Select(b => b.Slug()));
        Add(doc, Sensitivity, a.Sensitivities.Select(s => s.Slug()));
        Add(doc, DataSubject, a.DataSubjects.Select(s => s.Slug()));
        Add(doc, Theme, a.Themes.Select(t => t.Slug()));
        Add(doc, Origin, [a.TemplateReference is null ? "legacy" : "template"]);
        Add(doc, Year, a.StartDate is { } start ? [start.Year.ToString()] : []);
        doc.Add(new Int32Field(ReviewDay, a.ReviewDate?.DayNumber ?? int.MaxValue, Field.Store.NO));
    }

    static void Add(Document doc, string facet, IEnumerable<string> values)
    {
        foreach (var value in values.Distinct())
        {
            doc.Add(new StringField(facet, value, Field.Store.NO));
            doc.Add(new SortedSetDocValuesField(facet, new BytesRef(value)));
        }
    }

    /// <summary>The filter for the chosen values of one facet (ORed), or null when none are chosen.</summary>
    public static Query? Filter(string facet, IReadOnlyList<string> values, DateOnly today)
    {
        if (values.Count == 0) return null;
        var any = new BooleanQuery();
        foreach (var value in values)
            any.Add(facet == Review ? ReviewRange(value, today) : new TermQuery(new Lucene.Net.Index.Term(facet, value)), Occur.SHOULD);
        return new ConstantScoreQuery(any) { Boost = 0 };
    }

    static Query ReviewRange(string value, DateOnly today) => value switch
    {
        "overdue" => NumericRangeQuery.NewInt32Range(ReviewDay, null, today.DayNumber, true, false),
        "within-90-days" => NumericRangeQuery.NewInt32Range(ReviewDay, today.DayNumber, today.DayNumber + 90, true, true),
        "later" => NumericRangeQuery.NewInt32Range(ReviewDay, today.DayNumber + 90, int.MaxValue - 1, false, true),
        _ => NumericRangeQuery.NewInt32Range(ReviewDay, int.MaxValue, int.MaxValue, true, true),
    };

    /// <summary>Which review bucket a review day falls in, for counting.</summary>
    public static string ReviewBucket(long day, DateOnly today) =>
        day == int.MaxValue ? "none" : day < today.DayNumber ? "overdue" : day <= today.DayNumber + 90 ? "within-90-days" : "later";

    /// <summary>Whether a value is one the facet can hold, so a mistyped filter is named rather than silently matching nothing.</summary>
    public static bool IsValid(string facet, string value) => facet switch
    {
        Organisation => int.TryParse(value, out var id) && id > 0,
        OrganisationType => EnumSlug<OrganisationType>.TryParse(value, out _),
        Borough => value == "pan-london" || System.Text.RegularExpressions.Regex.IsMatch(value, "^E09[0-9]{6}$"),
        AgreementType => EnumSlug<Agreements.AgreementType>.TryParse(value, out _),
        Status => EnumSlug<AgreementStatus>.TryParse(value, out _),
        LawfulBasis => EnumSlug<Agreements.LawfulBasis>.TryParse(value, out _),
        Sensitivity => EnumSlug<Agreements.Sensitivity>.TryParse(value, out _),
        DataSubject => EnumSlug<Agreements.DataSubject>.TryParse(value, out _),
        Theme => EnumSlug<Agreements.Theme>.TryParse(value, out _),
        Review => ReviewValues.Contains(value),
        Origin => value is "template" or "legacy",
        Year => int.TryParse(value, out var year) && year is > 1990 and < 2200,
        _ => false,
    };

    /// <summary>What a value is called on a page (organisations by name, vocabularies by their words).</summary>
    public static string Describe(string facet, string value, IReadOnlyDictionary<int, string> organisationNames) => facet switch
    {
        Organisation => int.TryParse(value, out var id) && organisationNames.TryGetValue(id, out var name) ? name : value,
        OrganisationType => EnumSlug<OrganisationType>.TryParse(value, out var t) ? t.Describe() : value,
        Borough => value == "pan-london" ? "Pan-London" : RegionSeed.BoroughName(value) ?? value,
        AgreementType => EnumSlug<Agreements.AgreementType>.TryParse(value, out var a) ? a.Describe() : value,
        Status => EnumSlug<AgreementStatus>.TryParse(value, out var s) ? s.Describe() : value,
        LawfulBasis => EnumSlug<Agreements.LawfulBasis>.TryParse(value, out var l) ? l.Describe() : value,
        Sensitivity => EnumSlug<Agreements.Sensitivity>.TryParse(value, out var se) ? se.Describe() : value,
        DataSubject => EnumSlug<Agreements.DataSubject>.TryParse(value, out var d) ? d.Describe() : value,
        Theme => EnumSlug<Agreements.Theme>.TryParse(value, out var th) ? th.Describe() : value,
        Review => value switch { "overdue" => "Overdue", "within-90-days" => "Within 90 days", "later" => "Later", _ => "No review date" },
        Origin => value == "template" ? "Built on a pre-approved template" : "Legacy (uploaded)",
        _ => value,
    };

    public static string Title(string facet) => facet switch
    {
        Organisation => "Organisation", OrganisationType => "Organisation type", Borough => "Borough", AgreementType => "Agreement type",
        Status => "Status", LawfulBasis => "Lawful basis (Article 6)", Sensitivity => "Data sensitivity", DataSubject => "Data subjects",
        Theme => "Theme", Review => "Review due", Origin => "Template or legacy", _ => "Year of start",
    };
}
