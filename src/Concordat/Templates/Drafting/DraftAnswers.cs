using System.Globalization;
using Concordat.Agreements;
using Concordat.Organisations;
using Concordat.Shared;

namespace Concordat.Templates.Drafting;

/// <summary>
/// A draft's answers: read from a question page and checked by each question's type, then turned into what the clauses
/// render with and into the register record, so nothing is typed twice. Stored as text by question key: dates as ISO,
/// organisations by id, parties as "id:role" lines, several choices or list entries one per line, yes/no as "yes"/"no".
/// </summary>
public static class DraftAnswers
{
    /// <summary>Rows offered for the organisations of a party question; empty rows are ignored.</summary>
    public const int PartyRows = 6;
    const int MaxText = 300, MaxLongText = 4000, MaxLines = 100;

    /// <summary>The questions <see cref="ToRecord"/> and the check of the answers read, by key, as the type the starter library gives them.</summary>
    public static readonly IReadOnlySet<string> RecordQuestions = new HashSet<string>(StringComparer.Ordinal)
    {
        "title", "purpose", "benefits", "parties", "reciprocal", "data_subjects", "data_items", "frequency", "special_category", "criminal_offence",
        "lawful_basis", "special_category_condition", "criminal_offence_basis", "legal_powers", "dpia", "start_date", "review_date", "contact_email",
    };

    public static string FieldId(TemplateQuestion q) => "q-" + q.Key.Replace('_', '-');
    public static string PartyFieldId(TemplateQuestion q, int row, string part) => $"{FieldId(q)}-{row}-{part}";

    /// <summary>Reads one topic's questions from the posted form; the answers, or the errors by field id.</summary>
    public static (Dictionary<string, string> Answers, FieldErrors Errors) Read(IEnumerable<TemplateQuestion> questions, IFormCollection form, IReadOnlySet<int> organisations)
    {
        var answers = new Dictionary<string, string>();
        var errors = new FieldErrors();
        foreach (var q in questions)
        {
            var id = FieldId(q);
            var label = $"“{q.Label}”";
            string Posted(string name) => form[name].ToString().Trim();
            switch (q.Type)
            {
                case QuestionType.Text or QuestionType.LongText:
                {
                    var text = Posted(id);
                    var max = q.Type == QuestionType.Text ? MaxText : MaxLongText;
                    if (text.Length > max) errors.Add(id, $"The answer to {label} must be {max} characters or fewer");
                    else if (text.Length > 0) answers[q.Key] = text;
                    else if (q.Required) errors.Add(id, $"Enter an answer to {label}");
                    break;
                }
                case QuestionType.DataItems or QuestionType.List:
                {
                    var lines = Posted(id).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                    if (lines.Length > MaxLines || lines.Any(l => l.Length > MaxText))
                        errors.Add(id, $"List at most {MaxLines} entries for {label}, each {MaxText} characters or fewer");
                    else if (lines.Length > 0) answers[q.Key] = string.Join('\n', lines);
                    else if (q.Required) errors.Add(id, q.Type == QuestionType.DataItems ? "List at least one data item, one per line" : $"List at least one entry for {label}, one per line");
                    break;
                }
                case QuestionType.Date:
                {
                    var parts = new DateParts { Day = Posted($"{id}.Day"), Month = Posted($"{id}.Month"), Year = Posted($"{id}.Year") };
                    var iso = parts.ToIso();
                    if (iso is null) { if (q.Required) errors.Add(id, $"Enter the date for {label}"); }
                    else if (!DateOnly.TryParseExact(iso, "yyyy-MM-dd", out var date) || date.Year < 2000 || date.Year > 2100)
                        errors.Add(id, $"Enter a real date for {label}, such as 1 4 2026");
                    else answers[q.Key] = iso;
                    break;
                }
                case QuestionType.YesNo:
                {
                    var chosen = Posted(id);
                    if (chosen is "yes" or "no") answers[q.Key] = chosen;
                    else errors.Add(id, $"Select yes or no for {label}");
                    break;
                }
                case QuestionType.Choice:
                {
                    var allowed = ClauseAnswers.ChoicesOf(q).Select(c => c.Value).ToHashSet();
                    var chosen = form[id].Select(v => v?.Trim() ?? "").Where(v => v.Length > 0).Distinct().ToList();
                    if (chosen.Any(c => !allowed.Contains(c))) errors.Add(id, $"Select from the choices given for {label}");
                    else if (chosen.Count > 1 && !q.Multiple) errors.Add(id, $"Select one answer to {label}");
                    else if (chosen.Count > 0) answers[q.Key] = string.Join('\n', chosen);
                    else if (q.Required) errors.Add(id, $"Select {(q.Multiple ? "at least one answer" : "an answer")} to {label}");
                    break;
                }
                case QuestionType.Organisation:
                {
                    var chosen = Posted(id);
                    if (chosen.Length == 0) { if (q.Required) errors.Add(id, $"Select the organisation for {label}"); }
                    else if (!int.TryParse(chosen, CultureInfo.InvariantCulture, out var org) || !organisations.Contains(org)) errors.Add(id, "Select an organisation from the registry");
                    else answers[q.Key] = chosen;
                    break;
                }
                case QuestionType.OrganisationsWithRoles:
                {
                    var parties = new List<string>();
                    for (var row = 0; row < PartyRows; row++)
                    {
                        var (orgText, role) = (Posted($"{id}.{row}.organisation"), Posted($"{id}.{row}.role"));
                        if (orgText.Length == 0 && role.Length == 0) continue;
                        if (!int.TryParse(orgText, CultureInfo.InvariantCulture, out var org) || !organisations.Contains(org))
                            errors.Add(PartyFieldId(q, row, "organisation"), $"Select the organisation for party {row + 1}");
                        else if (!EnumSlug<PartyRole>.TryParse(role, out _))
                            errors.Add(PartyFieldId(q, row, "role"), $"Select the role of party {row + 1}");
                        else if (parties.Any(p => p.StartsWith($"{org}:", StringComparison.Ordinal)))
                            errors.Add(PartyFieldId(q, row, "organisation"), $"Party {row + 1} is already listed");
                        else parties.Add($"{org}:{role}");
                    }
                    if (parties.Count + errors.Count(e => e.Key.StartsWith(id, StringComparison.Ordinal)) == 0 && q.Required)
                        errors.Add(PartyFieldId(q, 0, "organisation"), "Add the organisations that are party to it, each with its role");
                    else if (parties.Count > 0) answers[q.Key] = string.Join('\n', parties);
                    break;
                }
            }
        }
        return (answers, errors);
    }

    /// <summary>What a question's stored answer says, for the check-your-answers page.</summary>
    public static string Shown(TemplateQuestion q, string? answer, IReadOnlyDictionary<int, string> organisationNames)
    {
        if (string.IsNullOrEmpty(answer)) return "Not answered";
        var words = ClauseAnswers.ChoicesOf(q).ToDictionary(c => c.Value, c => c.Text);
        return q.Type switch
        {
            QuestionType.Date => Display.Date(DateOnly.ParseExact(answer, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
            QuestionType.YesNo => answer == "yes" ? "Yes" : "No",
            QuestionType.Choice => string.Join(", ", Lines(answer).Select(v => words.GetValueOrDefault(v) ?? v)),
            QuestionType.Organisation => organisationNames.GetValueOrDefault(int.Parse(answer, CultureInfo.InvariantCulture)) ?? answer,
            QuestionType.OrganisationsWithRoles => string.Join("; ", Parties(answer).Select(p =>
                $"{organisationNames.GetValueOrDefault(p.OrganisationId) ?? "?"} ({EnumSlug<PartyRole>.TryParse(p.Role, out var r) switch { true => r.Describe(), _ => p.Role }})")),
            QuestionType.DataItems or QuestionType.List => string.Join("; ", Lines(answer)),
            _ => answer,
        };
    }

    public static IEnumerable<string> Lines(string? answer) => (answer ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public static IEnumerable<(int OrganisationId, string Role)> Parties(string? answer) =>
        Lines(answer).Select(l => l.Split(':')).Where(p => p.Length == 2 && int.TryParse(p[0], CultureInfo.InvariantCulture, out _))
            .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), p[1]));

    /// <summary>The answers as the clauses read them: free text escaped for Markdown, dates in words, parties with their names and roles.</summary>
    public static ClauseAnswers ForClauses(TemplateVersion version, TemplateType type, IReadOnlyDictionary<string, string> answers, IReadOnlyDictionary<int, string> organisationNames)
    {
        var clauses = ClauseAnswers.Placeholders(version.Questions, TemplateTypes.KindOf(type));
        foreach (var q in version.Questions)
        {
            if (!answers.TryGetValue(q.Key, out var answer))
            {
                // Unanswered: the placeholder stays for text, so the preview shows what is missing; conditions read as no.
                if (q.Type == QuestionType.YesNo) clauses.Values[q.Key] = false;
                continue;
            }
            clauses.Values[q.Key] = q.Type switch
            {
                QuestionType.Text or QuestionType.LongText => ClauseAnswers.EscapeMarkdown(answer),
                QuestionType.Date => Display.Date(DateOnly.ParseExact(answer, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
                QuestionType.YesNo => answer == "yes",
                QuestionType.Choice => q.Multiple ? Lines(answer).Cast<object?>().ToList() : answer,
                QuestionType.DataItems or QuestionType.List => Lines(answer).Select(l => (object?)ClauseAnswers.EscapeMarkdown(l)).ToList(),
                QuestionType.Organisation => ClauseAnswers.EscapeMarkdown(organisationNames.GetValueOrDefault(int.Parse(answer, CultureInfo.InvariantCulture)) ?? ""),
                QuestionType.OrganisationsWithRoles => Parties(answer).Select(p => (object?)new Dictionary<string, object?>
                {
                    ["name"] = ClauseAnswers.EscapeMarkdown(organisationNames.GetValueOrDefault(p.OrganisationId) ?? ""),
                    ["role"] = EnumSlug<PartyRole>.TryParse(p.Role, out var role) ? role.Describe().ToLowerInvariant() : p.Role,
                }).ToList(),
                _ => answer,
            };
        }
        return clauses;
    }

    /// <summary>
    /// The register record the answers make: the same facts the agreement's text states. Data flows go from the first
    /// party to each other party, and back as well when the sharing is two-way.
    /// </summary>
    /// <param name="into">the record as it is, when updating it: what the answers do not cover is kept</param>
    public static AgreementInput ToRecord(AgreementTemplate template, AgreementDraft draft, IReadOnlyDictionary<string, string> answers, AgreementInput? into = null)
    {
        string? Answer(string key) => answers.GetValueOrDefault(key);
        var parties = Parties(Answer("parties")).ToList();
        var items = string.Join(", ", Lines(Answer("data_items")));
        var flows = new List<DataFlowInput>();
        if (items.Length > 0)
            foreach (var (other, _) in parties.Skip(1))
            {
                flows.Add(new DataFlowInput { FromOrganisationId = parties[0].OrganisationId, ToOrganisationId = other, DataItems = items, Frequency = Answer("frequency") });
                if (Answer("reciprocal") == "yes")
                    flows.Add(new DataFlowInput { FromOrganisationId = other, ToOrganisationId = parties[0].OrganisationId, DataItems = items, Frequency = Answer("frequency") });
            }
        var conditions = new[] { Answer("special_category_condition"), Answer("criminal_offence_basis") }.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        var record = into ?? new AgreementInput();
        record.Title = Answer("title");
        record.AgreementType = EnumSlug<AgreementType>.Of(TemplateTypes.AgreementTypeOf(template.Type));
        record.Purpose = Answer("purpose");
        record.Benefits = Answer("benefits");
        record.LeadOrganisationId = draft.LeadOrganisationId;
        record.Parties = parties.Select(p => new PartyInput { OrganisationId = p.OrganisationId, Role = p.Role }).ToList();
        record.DataFlows = flows;
        record.DataSubjects = Lines(Answer("data_subjects")).ToList();
        record.Sensitivity = new[] { "personal" }.Concat(Answer("special_category") == "yes" ? ["special-category"] : [])
            .Concat(Answer("criminal_offence") == "yes" ? ["criminal-offence"] : []).ToList();
        record.LawfulBasis = Lines(Answer("lawful_basis")).ToList();
        record.SpecialCategoryCondition = conditions.Count == 0 ? null : string.Join("; ", conditions);
        record.LegalPowers = Lines(Answer("legal_powers")).ToList();
        record.Dpia = Answer("dpia");
        record.Status = "draft";
        record.StartDate = Answer("start_date");
        record.ReviewDate = Answer("review_date");
        // Drafts are for the parties until the sign-off chooses how widely the agreement is published.
        record.Visibility = "parties-only";
        record.ContactEmail = Answer("contact_email");
        return record;
    }
}
