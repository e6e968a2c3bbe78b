using System.Text;
using Concordat.Agreements;
using Concordat.Shared;

namespace Concordat.Templates;

/// <summary>
/// The values a template's clauses render with, in the shapes Liquid reads: strings, booleans, lists of strings, and
/// parties as name and role. Free text is escaped for Markdown, so an answer can never become markup; the words of
/// controlled values ("public-task" → "public task") go to the <c>words</c> filter.
/// </summary>
public sealed class ClauseAnswers
{
    public Dictionary<string, object?> Values { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Words { get; } = new(StringComparer.Ordinal);

    /// <summary>The register's controlled vocabularies a choice question may draw on, by name: each value's slug and its words.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<(string Value, string Text)>> Vocabularies =
        new Dictionary<string, IReadOnlyList<(string, string)>>
        {
            ["data-subject"] = Vocabulary<DataSubject>(v => v.Describe()),
            ["lawful-basis"] = Vocabulary<LawfulBasis>(v => v.Describe()),
            ["flow-frequency"] = Vocabulary<FlowFrequency>(v => v.Describe()),
            ["dpia"] = Vocabulary<DpiaStatus>(v => v.Describe()),
            ["party-role"] = Vocabulary<PartyRole>(v => v.Describe()),
        };

    static IReadOnlyList<(string, string)> Vocabulary<T>(Func<T, string> describe) where T : struct, Enum =>
        Enum.GetValues<T>().Select(v => (EnumSlug<T>.Of(v), describe(v))).ToList();

    /// <summary>The choices a question offers: its vocabulary's, or its own.</summary>
    public static IReadOnlyList<(string Value, string Text)> ChoicesOf(TemplateQuestion question) =>
        question.Vocabulary is { } name && Vocabularies.TryGetValue(name, out var vocabulary) ? vocabulary
            : question.Choices.Select(c => (c.Value, c.Text)).ToList();

    /// <summary>
    /// Stand-in answers that show where each answer goes, for the library's preview and for the check made when a
    /// version is saved: yes to every yes/no question, so conditional text shows too.
    /// </summary>
    public static ClauseAnswers Placeholders(IEnumerable<TemplateQuestion> questions, string kind = "agreement")
    {
        var answers = new ClauseAnswers();
        answers.Values["kind"] = kind;
        foreach (var question in questions)
        {
            foreach (var (value, text) in ChoicesOf(question)) answers.Words.TryAdd(value, text);
            answers.Values[question.Key] = question.Type switch
            {
                QuestionType.YesNo => true,
                QuestionType.OrganisationsWithRoles => new List<object?>
                {
                    Party("[first organisation]", "[its role]"), Party("[second organisation]", "[its role]"),
                },
                QuestionType.DataItems => new List<object?> { "[first data item]", "[second data item]" },
                QuestionType.List => new List<object?> { $"[{question.Label.TrimEnd('?')}: first]", $"[{question.Label.TrimEnd('?')}: second]" },
                QuestionType.Choice when ChoicesOf(question) is [var first, ..] => question.Multiple ? new List<object?> { first.Value } : first.Value,
                _ => $"[{question.Label.TrimEnd('?')}]",
            };
        }
        return answers;
    }

    static Dictionary<string, object?> Party(string name, string role) => new() { ["name"] = name, ["role"] = role };

    /// <summary>Backslash before every character Markdown could read as markup, so an answer is only ever text.</summary>
    public static string EscapeMarkdown(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '<' or '>' or '(' or ')' or '#' or '+' or '-' or '!' or '|' or '~') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
