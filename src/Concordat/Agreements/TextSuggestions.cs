using System.Globalization;
using System.Text.RegularExpressions;
using Concordat.Organisations;
using Concordat.Shared;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

/// <summary>
/// Something an agreement's own text says that its record leaves empty: offered to the editor, never written without
/// their say. <paramref name="Key"/> names it in a form ("start-date:2024-04-01"), <paramref name="Evidence"/> is the
/// passage it was read from.
/// </summary>
public sealed record Suggestion(string Field, string Key, string Value, string Shown, string Evidence, int? OrganisationId = null);

/// <summary>
/// Reads an agreement's extracted text for what its record could say: the organisations it names (by name or short
/// name, such as "LFB"), dates that read as its start or review date, the Article 6 and Article 9 provisions it cites
/// and the legislation it relies on. Plain patterns over the text, not a model: each suggestion carries the passage it
/// came from, so the editor can judge it.
/// </summary>
public sealed partial class TextSuggestions
{
    public const string Parties = "parties", StartDate = "start-date", ReviewDate = "review-date", LawfulBasis = "lawful-basis",
        SpecialCategoryCondition = "special-category-condition", LegalPowers = "legal-powers";

    const int EvidenceRadius = 70;
    /// <summary>A pattern that takes longer than this over one text gives up: a suggestion is not worth a slow page.</summary>
    const int MatchTimeoutMs = 1000;
    const int MaxParties = 12;

    readonly Regex? _organisations;
    readonly Dictionary<string, Organisation> _byName = new(StringComparer.OrdinalIgnoreCase);

    public TextSuggestions(IEnumerable<Organisation> registry)
    {
        // Names and short names as one alternation, longest first so "London Borough of Camden" wins over "Camden".
        // Short names are matched as written: "LFB" and "Camden" are proper nouns, "lfb" or "camden" are not them.
        foreach (var o in registry)
            foreach (var name in new[] { o.Name, o.ShortName }.Where(n => n is { Length: >= 3 }))
                _byName.TryAdd(Normalise(name!), o);
        if (_byName.Count == 0) return;
        var alternatives = _byName.Keys.OrderByDescending(n => n.Length).Select(n => Regex.Escape(n).Replace(@"\ ", @"\s+"));
        _organisations = new Regex(@"(?<![\p{L}\p{N}])(?:" + string.Join('|', alternatives) + @")(?![\p{L}\p{N}])",
            RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
    }

    /// <summary>
    /// Suggestions for an agreement loaded with its parties and the files the viewer may see: the latest version of each
    /// file is read, against the whole registry.
    /// </summary>
    public static async Task<IReadOnlyList<Suggestion>> LoadAsync(Data.ConcordatDb db, Agreement agreement, CancellationToken ct)
    {
        var hashes = agreement.Files.Select(f => f.Versions.MaxBy(v => v.Number)!.Sha256).ToList();
        var texts = await db.FileTexts.AsNoTracking().Where(t => hashes.Contains(t.Sha256)).Select(t => t.Text).ToListAsync(ct);
        var registry = await db.Organisations.AsNoTracking().ToListAsync(ct);
        return new TextSuggestions(registry).For(agreement, texts);
    }

    /// <summary>Suggestions for the fields of <paramref name="agreement"/> that are empty, read from its files' texts.</summary>
    public IReadOnlyList<Suggestion> For(Agreement agreement, IEnumerable<string> texts)
    {
        var text = string.Join("\n\n", texts);
        var found = new List<Suggestion>();
        if (text.Length == 0) return found;
        try
        {
            if (agreement.Parties.Count == 0) found.AddRange(NamedOrganisations(text));
            var (start, review) = Dates(text);
            if (agreement.StartDate is null && start is not null) found.Add(start);
            if (agreement.ReviewDate is null && review is not null && (start is null || string.CompareOrdinal(review.Value, start.Value) > 0)) found.Add(review);
            if (agreement.LawfulBases.Count == 0) found.AddRange(Article6(text));
            if (agreement.SpecialCategoryCondition is null && Article9(text) is { } condition) found.Add(condition);
            if (agreement.LegalPowers.Count == 0) found.AddRange(Legislation(text));
        }
        catch (RegexMatchTimeoutException)
        {
            // What was found before the slow pattern stands.
        }
        return found;
    }

    // ---- Organisations ----

    IEnumerable<Suggestion> NamedOrganisations(string text)
    {
        if (_organisations is null) return [];
        return _organisations.Matches(text)
            .Select(m => (Match: m, Organisation: _byName[Normalise(m.Value)]))
            .GroupBy(x => x.Organisation.Id)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.First().Match.Index)
            .Take(MaxParties)
            .Select(g =>
            {
                var (first, organisation) = g.First();
                var times = g.Count() == 1 ? "once" : g.Count() == 2 ? "twice" : $"{g.Count()} times";
                return new Suggestion(Parties, $"{Parties}:{organisation.Id}", organisation.Id.ToString(CultureInfo.InvariantCulture), organisation.Name,
                    $"Named {times}, first: {Around(text, first.Index, first.Length)}", organisation.Id);
            });
    }

    static string Normalise(string name) => WhiteSpace().Replace(name.Trim(), " ");

    // ---- Dates ----

    /// <summary>
    /// The first date that a start word leads up to ("commences on", "effective from") and the first that a review word
    /// does ("reviewed by"), each within the same sentence and a few words of the date.
    /// </summary>
    static (Suggestion? Start, Suggestion? Review) Dates(string text)
    {
        Suggestion? start = null, review = null;
        foreach (Match m in DatePattern().Matches(text))
        {
            if (ParseDate(m.Value) is not { } date) continue;
            var before = text[Math.Max(0, m.Index - 90)..m.Index];
            var sentence = before[(before.LastIndexOfAny(['.', ';', '\n']) + 1)..];
            var kind = LastOf(sentence, ReviewWords()) > LastOf(sentence, StartWords()) ? ReviewDate : LastOf(sentence, StartWords()) >= 0 ? StartDate : null;
            if (kind is null) continue;
            var iso = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var suggestion = new Suggestion(kind, $"{kind}:{iso}", iso, Display.Date(date), Around(text, m.Index, m.Length));
            if (kind == StartDate) start ??= suggestion;
            else review ??= suggestion;
            if (start is not null && review is not null) break;
        }
        return (start, review);
    }

    static int LastOf(string text, Regex words) => words.Matches(text) is { Count: > 0 } all ? all[^1].Index : -1;

    static DateOnly? ParseDate(string written)
    {
        // The invariant culture's month names are English and need no ICU data (the app runs in invariant mode); British
        // writing's "Sept" is its "Sep".
        var cleaned = OrdinalSuffix().Replace(written, "$1").Replace("Sept ", "Sep ", StringComparison.OrdinalIgnoreCase);
        string[] formats = ["d MMMM yyyy", "d MMM yyyy", "dd/MM/yyyy", "d/M/yyyy", "yyyy-MM-dd"];
        return DateOnly.TryParseExact(WhiteSpace().Replace(cleaned, " "), formats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var date)
            && date.Year is >= 1990 and <= 2100 ? date : null;
    }

    // ---- Articles 6 and 9 ----

    static readonly Dictionary<char, (string Slug, string Name)> Article6Points = new()
    {
        ['a'] = ("consent", "consent"), ['b'] = ("contract", "contract"), ['c'] = ("legal-obligation", "legal obligation"),
        ['d'] = ("vital-interests", "vital interests"), ['e'] = ("public-task", "public task"), ['f'] = ("legitimate-interests", "legitimate interests"),
    };

    static readonly Dictionary<char, string> Article9Points = new()
    {
        ['a'] = "explicit consent", ['b'] = "employment, social security and social protection law", ['c'] = "vital interests",
        ['d'] = "not-for-profit bodies", ['e'] = "made public by the data subject", ['f'] = "legal claims",
        ['g'] = "substantial public interest", ['h'] = "health or social care", ['i'] = "public health",
        ['j'] = "archiving, research and statistics",
    };

    /// <summary>
    /// Each Article 6(1) basis cited, and whose it is where the sentence citing it names an organisation: each party
    /// has its own basis (a recipient's basis is not the discloser's), so the editor is told which one the text gives.
    /// </summary>
    IEnumerable<Suggestion> Article6(string text) =>
        Article6Pattern().Matches(text).Select(m => (Match: m, Point: char.ToLowerInvariant(m.Groups["point"].Value[0]), Party: PartyOf(text, m)))
            .Where(x => Article6Points.ContainsKey(x.Point))
            .DistinctBy(x => (x.Point, x.Party?.Id)).OrderBy(x => x.Point).ThenBy(x => x.Party?.Name)
            .Select(x => new Suggestion(LawfulBasis, $"{LawfulBasis}:{Article6Points[x.Point].Slug}{(x.Party is null ? "" : $":{x.Party.Id}")}",
                Article6Points[x.Point].Slug, $"Article 6(1)({x.Point}) {Article6Points[x.Point].Name}{(x.Party is null ? "" : $", for {x.Party.Name}")}",
                Around(text, x.Match.Index, x.Match.Length), x.Party?.Id));

    /// <summary>The organisation the sentence around a citation names nearest to it, if any.</summary>
    Organisation? PartyOf(string text, Match citation)
    {
        if (_organisations is null) return null;
        var start = Math.Max(0, text.LastIndexOfAny(['.', ';', '\n'], Math.Max(0, citation.Index - 1)) + 1);
        start = Math.Max(start, citation.Index - 300);
        var endAt = text.IndexOfAny(['.', ';', '\n'], citation.Index + citation.Length);
        var end = Math.Min(endAt < 0 ? text.Length : endAt, citation.Index + citation.Length + 300);
        var sentence = text[start..end];
        return _organisations.Matches(sentence)
            .OrderBy(m => Math.Abs(start + m.Index - citation.Index))
            .Select(m => _byName[Normalise(m.Value)]).FirstOrDefault();
    }

    /// <summary>Every Article 9(2) condition cited, as one value for the record's single condition field.</summary>
    static Suggestion? Article9(string text)
    {
        var cited = Article9Pattern().Matches(text).Select(m => (Match: m, Point: char.ToLowerInvariant(m.Groups["point"].Value[0])))
            .Where(x => Article9Points.ContainsKey(x.Point)).DistinctBy(x => x.Point).OrderBy(x => x.Point).ToList();
        if (cited.Count == 0) return null;
        var value = string.Join("; ", cited.Select(x => $"Article 9(2)({x.Point}) {Article9Points[x.Point]}"));
        return new Suggestion(SpecialCategoryCondition, $"{SpecialCategoryCondition}:{string.Concat(cited.Select(x => x.Point))}", value, value,
            Around(text, cited[0].Match.Index, cited[0].Match.Length));
    }

    // ---- Legislation ----

    /// <summary>
    /// Laws that govern how data is shared rather than give a power to share it: cited by nearly every agreement, so
    /// not suggested as its legal powers.
    /// </summary>
    static readonly HashSet<string> NotPowers = new(StringComparer.OrdinalIgnoreCase)
    {
        "Data Protection Act 1998", "Data Protection Act 2018", "Freedom of Information Act 2000", "Human Rights Act 1998",
        "Computer Misuse Act 1990", "Privacy and Electronic Communications (EC Directive) Regulations 2003",
    };

    static IEnumerable<Suggestion> Legislation(string text) =>
        LegislationPattern().Matches(text)
            .Select(m => (Match: m, Law: LawName(m.Groups["law"].Value),
                Section: m.Groups["section"].Success ? m.Groups["section"].Value : m.Groups["after"].Value))
            .Where(x => !NotPowers.Contains(x.Law))
            .GroupBy(x => x.Law, StringComparer.OrdinalIgnoreCase)
            .Take(10)
            .Select(g =>
            {
                var sections = g.Select(x => x.Section).Where(s => s.Length > 0).Distinct().Take(6).ToList();
                var value = sections.Count == 0 ? g.Key : $"{g.Key} {string.Join(", ", sections.Select(s => "s" + s))}";
                var first = g.First().Match;
                return new Suggestion(LegalPowers, $"{LegalPowers}:{value}", value, value, Around(text, first.Index, first.Length));
            });

    /// <summary>"UK GDPR and the Data Protection Act 2018" is two things: the law is what follows the last "and the".</summary>
    static string LawName(string matched)
    {
        var name = WhiteSpace().Replace(matched, " ");
        var joined = name.LastIndexOf(" and the ", StringComparison.Ordinal);
        return LeadingArticle().Replace(joined < 0 ? name : name[(joined + " and the ".Length)..], "");
    }

    // ---- Evidence ----

    /// <summary>The passage around a match, on one line, cut at word boundaries.</summary>
    static string Around(string text, int index, int length)
    {
        var from = Math.Max(0, index - EvidenceRadius);
        var to = Math.Min(text.Length, index + length + EvidenceRadius);
        while (from > 0 && from < index && !char.IsWhiteSpace(text[from - 1])) from++;
        while (to < text.Length && to > index + length && !char.IsWhiteSpace(text[to])) to--;
        var passage = WhiteSpace().Replace(text[from..to], " ").Trim();
        return (from > 0 ? "…" : "") + passage + (to < text.Length ? "…" : "");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\b(\d{1,2})(?:st|nd|rd|th)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OrdinalSuffix();

    [GeneratedRegex(@"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\s+\d{4}|\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\b", RegexOptions.IgnoreCase, MatchTimeoutMs)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"\b(?:commenc\w*|start\w*|effective|in\s+force|into\s+effect|begin\w*|from)\b", RegexOptions.IgnoreCase)]
    private static partial Regex StartWords();

    [GeneratedRegex(@"\breview\w*\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReviewWords();

    [GeneratedRegex(@"\b(?:Article|Art\.?)\s*6\s*\(\s*1\s*\)\s*\(\s*(?<point>[a-f])\s*\)", RegexOptions.IgnoreCase, MatchTimeoutMs)]
    private static partial Regex Article6Pattern();

    [GeneratedRegex(@"\b(?:Article|Art\.?)\s*9\s*\(\s*2\s*\)\s*\(\s*(?<point>[a-j])\s*\)", RegexOptions.IgnoreCase, MatchTimeoutMs)]
    private static partial Regex Article9Pattern();

    // "section 115 of the Crime and Disorder Act 1998", "the Children Act 2004 s10", "The Health Service (Control of Patient
    // Information) Regulations 2002": capitalised words (and small joining words) ending in Act or Regulations and a year,
    // with the section before it ("section 115 of") or after it ("s10").
    [GeneratedRegex(@"(?:\b(?:[Ss]ection|[Ss]\.)\s*(?<section>\d+[A-Z]*)(?:\(\d+\))*\s+of\s+)?(?<law>(?:\b[Tt]he\s+)?\(?[A-Z][\w'’-]*\)?(?:\s+(?:\(?[A-Z][\w'’-]*\)?|and|of|for|the|in|to|on))*\s+(?:Act|Regulations)\s+(?:1[89]|20)\d{2})\b(?:,?\s+(?:[Ss]ection|[Ss]\.?)\s*(?<after>\d+[A-Z]*)\b)?", RegexOptions.None, MatchTimeoutMs)]
    private static partial Regex LegislationPattern();

    [GeneratedRegex(@"^[Tt]he\s+")]
    private static partial Regex LeadingArticle();
}
