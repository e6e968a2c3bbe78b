using Concordat.Agreements;
using Concordat.Organisations;
using Concordat.Shared;

namespace Concordat.Import;

/// <summary>
/// The columns of an import manifest: the names of the register's CSV export (so an export can be imported again), plus
/// files and local_reference. Only title, lead_organisation and files are needed; an agreement missing what publication
/// needs is imported as a draft.
/// </summary>
public static class ManifestColumns
{
    public sealed record Column(string Name, string Accepts);

    public static readonly IReadOnlyList<Column> All =
    [
        new("title", "Required. The agreement's title."),
        new("lead_organisation", "Required. The lead organisation: its name, short name (LFB, Met Police), GSS or ODS code, or ICO registration number."),
        new("files", "Required for a new agreement. The agreement's files, as paths relative to the manifest, separated by \"; \". The first is the agreement itself; put a kind " +
            "before a path to say what else it is: " + string.Join(", ", EnumSlug<FileKind>.All.Select(k => $"\"{k}: path\""))),
        new("local_reference", "Your own reference for the agreement. Re-importing matches rows to agreements by it (or, without it, by title), " +
            "so give one if titles may change."),
        new("reference", "The register's reference (DSA-2026-00042), to update an agreement already in the register."),
        new("agreement_type", "One of: " + string.Join(", ", EnumSlug<AgreementType>.All)),
        new("status", "One of: " + string.Join(", ", EnumSlug<AgreementStatus>.All)),
        new("purpose", "What the sharing is for, in plain English."),
        new("benefits", "The benefits expected."),
        new("description", "The agreement's full statement of what is shared and why, however long. A purpose over 300 words is kept here whole, " +
            "and its first sentences become the purpose."),
        new("parties", "Each party with its role in brackets, separated by \"; \": London Borough of Camden (recipient). Roles: " +
            string.Join(", ", EnumSlug<PartyRole>.All)),
        new("data_flows", "Each flow as from > to: data items (frequency), separated by \"; \". Frequencies: " + string.Join(", ", EnumSlug<FlowFrequency>.All)),
        new("data_subjects", "Separated by \"; \", of: " + string.Join(", ", EnumSlug<DataSubject>.All)),
        new("sensitivity", "Separated by \"; \", of: " + string.Join(", ", EnumSlug<Sensitivity>.All)),
        new("lawful_basis", "UK GDPR Article 6 bases, separated by \"; \", of: " + string.Join(", ", EnumSlug<LawfulBasis>.All)),
        new("special_category_condition", "The Article 9 or 10 condition, with the DPA 2018 Schedule 1 paragraph."),
        new("legal_powers", "Statutes and sections, separated by \"; \"."),
        new("geography", "Boroughs by name or GSS code, or pan-london, separated by \"; \"."),
        new("themes", "Separated by \"; \", of: " + string.Join(", ", EnumSlug<Theme>.All)),
        new("dpia", "One of: " + string.Join(", ", EnumSlug<DpiaStatus>.All)),
        new("start_date", "A date: 2025-04-01 or 01/04/2025."),
        new("review_date", "A date: 2027-04-01 or 01/04/2027."),
        new("end_date", "A date, if the agreement has ended or will end."),
        new("version", "The agreement's own version label."),
        new("supersedes", "The register reference of the agreement this one replaces."),
        new("visibility", "Who may see it: " + string.Join(", ", EnumSlug<Visibility>.All) + ". Public if left empty."),
        new("contact_email", "A role mailbox for questions, never a personal address."),
        new("organisation_type", "Only when a framework administrator lets the import add organisations nobody knows: the type of each one the row adds, " +
            "as one type for them all or as \"Name: type\" pairs separated by \"; \". One of: " + string.Join(", ", EnumSlug<OrganisationType>.All) +
            ". Other public body if left empty."),
    ];

    /// <summary>The columns every manifest has. Files are needed for each new agreement, not for rows that update one (an export imported again).</summary>
    public static readonly IReadOnlyList<string> Required = ["title", "lead_organisation"];

    /// <summary>Columns of the register's export that an import reads past without complaint.</summary>
    static readonly string[] ExportOnly = ["lead_organisation_code", "template", "published_at", "updated_at", "url"];

    public static readonly IReadOnlySet<string> Known = All.Select(c => c.Name).Concat(ExportOnly).ToHashSet();

    /// <summary>A manifest with the header and one example row, to download and fill in.</summary>
    public static string Template() =>
        string.Join(',', All.Select(c => c.Name)) + "\r\n" +
        "Home fire safety referrals,London Fire Brigade,home-fire-safety.pdf; dpia: home-fire-safety-dpia.docx,LFB-ISA-001,,information-sharing,active," +
        "\"Referring residents at high risk of fire for a home fire safety visit.\",Fewer fires and deaths in the home," +
        "London Borough of Camden (discloser); London Fire Brigade (recipient),\"London Borough of Camden > London Fire Brigade: name, address, risk factors (weekly)\"," +
        "residents; adults-with-care-needs,personal; special-category,public-task,\"Art 9(2)(h), DPA 2018 Sch 1 para 2\",Fire and Rescue Services Act 2004 s6," +
        "Camden,fire-safety,done,2024-04-01,2026-04-01,,1.0,,public,information.governance@example.gov.uk,\r\n";

    /// <summary>A controlled value as typed ("Public task", "special_category") in slug form ("public-task").</summary>
    public static string Slug(string value) =>
        string.Join('-', value.Trim().ToLowerInvariant().Replace('_', ' ').Replace('-', ' ').Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public static IEnumerable<string> Split(string? cell) =>
        (cell ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>
/// Finds organisations of the registry by what people write: the name, the short name, a GSS, ODS or ICO code, ignoring
/// case, punctuation and a leading "the"; and then by the usual variants of a public body's name, so "London Borough of
/// Lambeth Council", "LB Lambeth" and "Royal Borough of Kingston-Upon-Thames Council" find the seeded boroughs and "Barts
/// Health NHS Foundation Trust" the trust. A variant two organisations share finds neither. What is not found comes back
/// with the closest names, to suggest.
/// </summary>
public sealed class OrganisationMatcher
{
    readonly Dictionary<string, Organisation> _byKey = [];
    readonly Dictionary<string, Organisation?> _byVariant = [];
    readonly List<Organisation> _all;

    public OrganisationMatcher(IEnumerable<Organisation> organisations)
    {
        _all = [];
        foreach (var o in organisations) Add(o);
    }

    public Organisation? Find(string written) =>
        _byKey.GetValueOrDefault(Key(written)) ?? (Variant(written) is { Length: > 0 } variant ? _byVariant.GetValueOrDefault(variant) : null);

    /// <summary>Adds an organisation (the import adds the ones nobody knew), so later rows find it.</summary>
    public void Add(Organisation organisation)
    {
        _all.Add(organisation);
        foreach (var key in new[] { organisation.Name, organisation.ShortName, organisation.GssCode, organisation.OdsCode, organisation.IcoNumber }
                     .Where(k => !string.IsNullOrWhiteSpace(k)))
            _byKey.TryAdd(Key(key!), organisation);
        foreach (var name in new[] { organisation.Name, organisation.ShortName }.OfType<string>())
        {
            var variant = Variant(name);
            if (variant.Length == 0) continue;
            // Shared by two bodies: ambiguous, so it finds neither.
            _byVariant[variant] = _byVariant.TryGetValue(variant, out var other) && other != organisation ? null : organisation;
        }
    }

    /// <summary>The same key for every usual way of writing one public body's name.</summary>
    public static string Variant(string written)
    {
        var words = written.ToLowerInvariant().Replace("&", " and ").Replace('-', ' ')
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => new string(w.Where(char.IsLetterOrDigit).ToArray()))
            .Where(w => w.Length > 0).ToList();
        string[][] prefixes = [["the"], ["london", "borough", "of"], ["royal", "borough", "of"], ["lb", "of"], ["rb", "of"], ["lbo"], ["lb"], ["rb"]];
        string[][] suffixes = [["london", "borough", "council"], ["borough", "council"], ["city", "council"], ["council"],
            ["nhs", "foundation", "trust"], ["foundation", "trust"], ["nhs", "trust"]];
        foreach (var prefix in prefixes)
            if (words.Count > prefix.Length && words.Take(prefix.Length).SequenceEqual(prefix)) words.RemoveRange(0, prefix.Length);
        foreach (var suffix in suffixes)
            if (words.Count > suffix.Length && words.TakeLast(suffix.Length).SequenceEqual(suffix)) { words.RemoveRange(words.Count - suffix.Length, suffix.Length); break; }
        return string.Join(' ', words);
    }

    /// <summary>The registry's names closest to what was written (by edit distance over names and short names).</summary>
    public IReadOnlyList<string> Closest(string written, int count = 3)
    {
        var key = Key(written);
        return _all.Select(o => (o.Name, Distance: new[] { o.Name, o.ShortName }.Where(n => n is not null)
                .Min(n => Distance(key, Key(n!)) - (Key(n!).Contains(key, StringComparison.Ordinal) && key.Length >= 3 ? key.Length : 0))))
            .OrderBy(x => x.Distance).ThenBy(x => x.Name).Take(count).Select(x => x.Name).ToList();
    }

    static string Key(string text)
    {
        var letters = new string(text.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
        return letters.StartsWith("the", StringComparison.Ordinal) && text.TrimStart().StartsWith("the ", StringComparison.OrdinalIgnoreCase) ? letters[3..] : letters;
    }

    static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
