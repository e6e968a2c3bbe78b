using System.Text.RegularExpressions;
using Concordat.Shared;
using Concordat.Templates.Drafting;

namespace Concordat.Templates;

/// <summary>One question as the questions page posts it: every field as text, checked by <see cref="QuestionForm.Read"/>.</summary>
public sealed class QuestionInput
{
    public string? Key { get; set; }
    public string? Topic { get; set; }
    public string? Label { get; set; }
    public string? Hint { get; set; }
    public string? Type { get; set; }
    /// <summary>The options ticked: "required", "multiple" (for a choice), "remove".</summary>
    public List<string> Options { get; set; } = [];
    public bool Required => Options.Contains("required");
    public bool Multiple => Options.Contains("multiple");
    public bool Remove => Options.Contains("remove");
    public string? Vocabulary { get; set; }
    /// <summary>A choice question's own choices, one a line as "value | words".</summary>
    public string? Choices { get; set; }

    public static QuestionInput From(TemplateQuestion q) => new()
    {
        Key = q.Key, Topic = q.Topic, Label = q.Label, Hint = q.Hint, Type = EnumSlug<QuestionType>.Of(q.Type),
        Options = [.. q.Required ? ["required"] : Array.Empty<string>(), .. q.Multiple ? ["multiple"] : Array.Empty<string>()], Vocabulary = q.Vocabulary, Choices = string.Join('\n', q.Choices.Select(c => $"{c.Value} | {c.Text}")),
    };
}

/// <summary>
/// The questions of a draft template version as edited on a page: each checked, with errors by field. The questions the
/// register record is filled from (<see cref="DraftAnswers.RecordQuestions"/>) keep their key, type and vocabulary, and
/// cannot be removed, because drafting reads them by those; their wording and page can change.
/// </summary>
public static partial class QuestionForm
{
    const int MaxLabel = 200, MaxHint = 500, MaxChoices = 50;

    public static string FieldId(int row, string field) => $"questions-{row}-{field}";

    /// <param name="rows">the existing questions in order, then the one being added (ignored when left empty)</param>
    public static (List<TemplateQuestion> Questions, FieldErrors Errors) Read(IReadOnlyList<TemplateQuestion> existing, IReadOnlyList<QuestionInput> rows)
    {
        var errors = new FieldErrors();
        var questions = new List<TemplateQuestion>();
        for (var row = 0; row < rows.Count; row++)
        {
            var input = rows[row];
            var current = row < existing.Count ? existing[row] : null;
            if (current is null && string.IsNullOrWhiteSpace(input.Key) && string.IsNullOrWhiteSpace(input.Label)) continue; // no question added
            var key = current?.Key ?? input.Key?.Trim() ?? "";
            var fillsRecord = DraftAnswers.RecordQuestions.Contains(key);
            var name = current is null ? "the new question" : $"“{key}”";
            void Error(string field, string message) => errors.Add(FieldId(row, field), message);

            if (input.Remove && current is not null)
            {
                if (fillsRecord) Error("options", $"“{key}” cannot be removed: the register record is filled from it");
                continue;
            }
            if (current is null && !KeyPattern().IsMatch(key))
                Error("key", "Enter a key of lower-case letters, digits and underscores, starting with a letter, such as funding_source");
            else if (current is null && (existing.Any(q => q.Key == key) || Clauses.BuiltIns.Contains(key)))
                Error("key", $"There is already a question with the key “{key}”");
            var label = input.Label?.Trim() ?? "";
            if (label.Length == 0) Error("label", $"Enter the question {name} asks");
            else if (label.Length > MaxLabel) Error("label", $"The question must be {MaxLabel} characters or fewer");
            var topic = input.Topic?.Trim() ?? "";
            if (topic.Length == 0) Error("topic", $"Enter the page {name} is asked on");
            else if (topic.Length > MaxLabel) Error("topic", $"The page's name must be {MaxLabel} characters or fewer");
            var hint = string.IsNullOrWhiteSpace(input.Hint) ? null : input.Hint.Trim();
            if (hint?.Length > MaxHint) Error("hint", $"The hint must be {MaxHint} characters or fewer");

            QuestionType type;
            string? vocabulary;
            var choices = new List<QuestionChoice>();
            bool required, multiple;
            if (fillsRecord)
                // What drafting reads the answer as stays as it is: only the wording and the page change.
                (type, vocabulary, choices, required, multiple) = (current!.Type, current.Vocabulary, current.Choices, current.Required, current.Multiple);
            else
            {
                (required, multiple) = (input.Required, input.Multiple);
                if (!EnumSlug<QuestionType>.TryParse(input.Type, out type)) Error("type", $"Select the kind of answer {name} takes");
                vocabulary = string.IsNullOrWhiteSpace(input.Vocabulary) ? null : input.Vocabulary;
                if (vocabulary is not null && !ClauseAnswers.Vocabularies.ContainsKey(vocabulary)) Error("vocabulary", "Select a list from the register's vocabularies");
                if (type == QuestionType.Choice && vocabulary is null)
                {
                    var lines = (input.Choices ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    foreach (var line in lines)
                    {
                        var parts = line.Split('|', 2, StringSplitOptions.TrimEntries);
                        if (parts.Length == 2 && ChoicePattern().IsMatch(parts[0]) && parts[1].Length is > 0 and <= MaxLabel)
                            choices.Add(new QuestionChoice { Value = parts[0], Text = parts[1] });
                        else
                        {
                            Error("choices", $"Write each choice of {name} on its own line as value | words, such as secure-email | Secure email");
                            break;
                        }
                    }
                    if (lines.Length == 0) Error("choices", $"Give the choices of {name}, or choose one of the register's lists");
                    else if (choices.Count > MaxChoices) Error("choices", $"Give at most {MaxChoices} choices");
                    else if (choices.DistinctBy(c => c.Value).Count() < choices.Count) Error("choices", $"Each choice of {name} needs a different value");
                }
                if (type != QuestionType.Choice) (vocabulary, multiple) = (null, false);
            }
            questions.Add(new TemplateQuestion
            {
                Key = key, Topic = topic, Label = label, Hint = hint, Type = type, Required = required, Multiple = multiple, Vocabulary = vocabulary, Choices = choices,
            });
        }
        return (questions, errors);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,39}$")]
    private static partial Regex KeyPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,59}$")]
    private static partial Regex ChoicePattern();
}
