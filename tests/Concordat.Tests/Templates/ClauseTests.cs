using Concordat.Templates;

namespace Concordat.Tests.Templates;

/// <summary>Clause text is checked when a template version is saved, and rendered sandboxed.</summary>
public sealed class ClauseTests
{
    static readonly List<TemplateQuestion> Questions =
    [
        new() { Key = "title", Topic = "About", Label = "What is it called?", Type = QuestionType.Text },
        new() { Key = "data_items", Topic = "Data", Label = "Which items?", Type = QuestionType.DataItems },
        new() { Key = "lawful_basis", Topic = "Basis", Label = "Which basis?", Type = QuestionType.Choice, Vocabulary = "lawful-basis", Multiple = true },
        new() { Key = "special_category", Topic = "Data", Label = "Special category?", Type = QuestionType.YesNo },
    ];

    static IReadOnlyList<ClauseProblem> Check(string clause) =>
        Clauses.Check([new TemplateSection { Key = "purpose", Heading = "Purpose and benefits", Clause = clause }], Questions);

    [Fact]
    public void Every_starter_template_passes_the_check_covers_every_section_and_renders()
    {
        string[] compliantSections = ["document-control", "parties", "purpose", "data", "lawful-basis", "dpia", "transparency", "rights", "data-quality",
            "security", "retention", "breaches", "practitioners", "review", "glossary", "signatures"];
        var library = StarterLibrary.All();
        Assert.Equal(Enum.GetValues<TemplateType>(), library.Select(t => t.Type));
        foreach (var (name, type, _, questions, sections) in library)
        {
            Assert.True(Clauses.Check(sections, questions).Count == 0, $"{name}: {string.Join("; ", Clauses.Check(sections, questions))}");
            Assert.Equal(compliantSections, sections.Select(s => s.Key));
            var answers = ClauseAnswers.Placeholders(questions, TemplateTypes.KindOf(type));
            foreach (var section in sections)
            {
                var html = ClauseHtml.From(Clauses.Render(section.Clause, answers));
                Assert.False(string.IsNullOrWhiteSpace(html), $"{name}, {section.Heading} renders to nothing");
                Assert.DoesNotContain("{{", html);
                Assert.DoesNotContain("{%", html);
            }
        }
        // Two-way sharing is asked about in every sharing template.
        Assert.All(library.Where(t => t.Type is TemplateType.InformationSharing or TemplateType.DataDisclosure or TemplateType.JointController),
            t => Assert.Contains(t.Questions, q => q.Key == "reciprocal"));
    }

    [Theory]
    [InlineData("Purpose:\n{% if special_category %}\nno end", 3, "'{% endif %}' was expected (column 7)")]
    [InlineData("Line one\n{{ title | }}", 2, "An identifier was expected after the '|' sign")]
    [InlineData("Line one\nline two\n{{ titel }}", 3, "\"titel\" is not one of the template's questions")]
    [InlineData("{% for item in data_items %}{{ item }}{% endfor %}\n{{ item_count }}", 2, "\"item_count\" is not one of the template's questions")]
    [InlineData("{{ title | shout }}", 1, "There is no filter called \"shout\"")]
    [InlineData("\n{% for i in (1..100000000) %}x{% endfor %}", 2, "Ranges such as (1..10) are not allowed")]
    [InlineData("{% include 'secrets' %}", 1, "A clause cannot include other files")]
    [InlineData("{% for a in data_items %}{% for b in data_items %}{% for c in data_items %}{% for d in data_items %}{% for e in data_items %}{% for f in data_items %}{% for g in data_items %}{% for h in data_items %}{% for i in data_items %}{% for j in data_items %}{% for k in data_items %}{% for l in data_items %}{% for m in data_items %}{% for n in data_items %}{% for o in data_items %}x{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}", null, "The clause cannot be rendered: The clause took too many steps")]
    public void A_broken_clause_is_refused_with_its_line_and_reason(string clause, int? line, string reason)
    {
        var problem = Assert.Single(Check(clause));
        Assert.Equal(line, problem.Line);
        Assert.Contains(reason, problem.Message);
        Assert.StartsWith(line is null ? "Purpose and benefits: " : $"Purpose and benefits, line {line}: ", problem.ToString());
    }

    [Fact]
    public void Loop_names_assigned_names_and_words_in_quotes_are_not_taken_for_questions()
    {
        Assert.Empty(Check("""
            {% assign count = data_items | size %}{{ count }} items:
            {% for item in data_items %}{{ forloop.index }}. {{ item }}{% endfor %}
            {% if lawful_basis contains "unknown_word" %}{{ lawful_basis | words }}{% endif %}{{ kind }}
            """));
    }

    [Fact]
    public void Answers_are_text_never_markup()
    {
        var answers = ClauseAnswers.Placeholders(Questions);
        answers.Values["title"] = ClauseAnswers.EscapeMarkdown("<script>alert(1)</script> **bold** [link](javascript:x)");
        var html = ClauseHtml.From(Clauses.Render("Called {{ title }}. <b>raw</b>", answers));
        Assert.DoesNotContain("<script>", html);
        Assert.DoesNotContain("<strong>", html);
        Assert.DoesNotContain("<a ", html);
        Assert.DoesNotContain("<b>", html); // an author's raw HTML is shown as text too
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; **bold** [link](javascript:x)", html);
    }

    [Theory]
    [InlineData("[link](javascript:x)"), InlineData("![image](x.png)"), InlineData("- a list"), InlineData("# a heading"), InlineData("> a quote"),
        InlineData("+ item"), InlineData("**bold** and _em_"), InlineData("a | table | row"), InlineData(@"a \(back\)slash")]
    public void Wording_made_readable_to_edit_still_renders_answers_as_text(string answer)
    {
        // The drafter edits the wording with the answers in; the escapes they would not need are gone, the ones that matter stay.
        var answers = ClauseAnswers.Placeholders(Questions);
        answers.Values["title"] = ClauseAnswers.EscapeMarkdown(answer);
        var readable = Concordat.Templates.Drafting.DraftDocument.Readable(Clauses.Render("{{ title }}", answers));
        Assert.Equal(ClauseHtml.From(Clauses.Render("{{ title }}", answers)), ClauseHtml.From(readable));
        Assert.Equal($"<p>{System.Net.WebUtility.HtmlEncode(answer).Replace("&#39;", "'")}</p>\n", ClauseHtml.From(readable));
    }

    [Fact]
    public void Readable_wording_loses_the_escapes_a_reader_does_not_need()
    {
        var answers = ClauseAnswers.Placeholders(Questions);
        answers.Values["title"] = ClauseAnswers.EscapeMarkdown("Article 9(2)(h) - health! {care}");
        Assert.Equal("Article 9(2)(h) - health! {care}", Concordat.Templates.Drafting.DraftDocument.Readable(Clauses.Render("{{ title }}", answers)));
    }

    [Fact]
    public void A_clause_that_does_too_much_is_stopped()
    {
        var answers = ClauseAnswers.Placeholders(Questions);
        answers.Values["data_items"] = Enumerable.Range(1, 1000).Select(i => (object?)$"item {i}").ToList();
        // A million steps: stopped by the step bound.
        Assert.Throws<ClauseRenderException>(() => Clauses.Render("{% for a in data_items %}{% for b in data_items %}{{ a }}{% endfor %}{% endfor %}", answers));
        // Few steps but text that doubles each time: stopped by the output bound.
        Assert.Throws<ClauseRenderException>(() => Clauses.Render(
            "{% assign s = 'x' %}{% for a in data_items limit: 30 %}{% assign s = s | append: s %}{% endfor %}{{ s }}", answers));
        Assert.Equal("3 items", Clauses.Render("{{ data_items | size }} items", new ClauseAnswers { Values = { ["data_items"] = new List<object?> { "a", "b", "c" } } }));
    }

    [Fact]
    public void The_words_filter_turns_controlled_values_into_words()
    {
        var answers = ClauseAnswers.Placeholders(Questions);
        answers.Values["lawful_basis"] = new List<object?> { "public-task", "legal-obligation", "consent" };
        Assert.Equal("6(1)(e) Public task, 6(1)(c) Legal obligation and 6(1)(a) Consent",
            Clauses.Render("{{ lawful_basis | words }}", answers));
    }
}
