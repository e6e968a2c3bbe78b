namespace Concordat.Templates;

/// <summary>What kind of answer a question takes; the drafting pages are generated from these.</summary>
public enum QuestionType
{
    /// <summary>One line of text.</summary>
    Text,
    /// <summary>Paragraphs.</summary>
    LongText,
    Date,
    /// <summary>One organisation from the registry.</summary>
    Organisation,
    /// <summary>Organisations from the registry, each with its role (controller, processor ...).</summary>
    OrganisationsWithRoles,
    /// <summary>One or more of a controlled list: the register's vocabularies or the question's own choices.</summary>
    Choice,
    /// <summary>The data items shared, one per line.</summary>
    DataItems,
    YesNo,
    /// <summary>Short entries, one per line (legal powers, say).</summary>
    List,
}

/// <summary>One choice of a <see cref="QuestionType.Choice"/> question: the value the clauses test, and the words shown.</summary>
public sealed class QuestionChoice
{
    public required string Value { get; set; }
    public required string Text { get; set; }
}

/// <summary>
/// A question the drafter answers. <see cref="Key"/> is the Liquid variable the clauses use (snake_case);
/// <see cref="Topic"/> groups questions onto one drafting page.
/// </summary>
public sealed class TemplateQuestion
{
    public required string Key { get; set; }
    public required string Topic { get; set; }
    public required string Label { get; set; }
    public string? Hint { get; set; }
    public QuestionType Type { get; set; }
    public bool Required { get; set; } = true;
    /// <summary>For a choice: whether several may be chosen.</summary>
    public bool Multiple { get; set; }
    /// <summary>For a choice: the register vocabulary it draws on ("lawful-basis", "data-subject" ...), or null for <see cref="Choices"/>.</summary>
    public string? Vocabulary { get; set; }
    public List<QuestionChoice> Choices { get; set; } = [];
}

/// <summary>
/// A numbered section of the agreement: clause text in Markdown with Liquid variables and conditions, guidance for the
/// drafter, and whether the drafter may change the wording (a locked clause changed makes the agreement depart from the
/// template).
/// </summary>
public sealed class TemplateSection
{
    /// <summary>A stable name ("purpose", "security"), kept across versions so versions can be compared section by section.</summary>
    public required string Key { get; set; }
    public required string Heading { get; set; }
    public required string Clause { get; set; }
    public string Guidance { get; set; } = "";
    public bool Locked { get; set; }
}
