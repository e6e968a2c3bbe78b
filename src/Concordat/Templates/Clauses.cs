using Markdig;
using System.Text.RegularExpressions;
using Fluid;
using Fluid.Ast;
using Fluid.Values;

namespace Concordat.Templates;

/// <summary>A mistake in a template's clause text, said where it is: the section, the line within its clause, and why.</summary>
public sealed record ClauseProblem(string SectionKey, string SectionHeading, int? Line, string Message)
{
    public override string ToString() => $"{SectionHeading}{(Line is null ? "" : $", line {Line}")}: {Message}";
}

/// <summary>
/// Clause text is Markdown with Liquid (Fluid) for variables and conditions. Everything that can be wrong with it is
/// found when a template version is saved, never while someone drafts: syntax, variables that are not questions, filters
/// that do not exist, includes and ranges. Rendering runs sandboxed: no .NET members, no files, a bounded number of
/// steps and a bounded output.
/// </summary>
public static partial class Clauses
{
    /// <summary>Variables every clause may use besides the questions: <c>kind</c> is "agreement" or "accord".</summary>
    public static readonly IReadOnlySet<string> BuiltIns = new HashSet<string> { "kind" };

    const int MaxSteps = 20_000;
    const int MaxOutputChars = 200_000;

    static readonly FluidParser Parser = new(); // thread-safe once built
    static readonly TemplateOptions Options = CreateOptions();

    static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions { MaxSteps = MaxSteps, MaxRecursion = 10, StrictFilters = true };
        // "public-task" → "public task"; a list → "a, b and c". The words come from the answers' own choices.
        options.Filters.AddFilter("words", (input, _, context) =>
        {
            var words = context.AmbientValues.TryGetValue(WordsKey, out var found) ? (IReadOnlyDictionary<string, string>)found : new Dictionary<string, string>();
            string Word(FluidValue v) => words.GetValueOrDefault(v.ToStringValue()) ?? v.ToStringValue();
            var items = input is ArrayValue array ? array.Values.Select(Word).ToList() : [Word(input)];
            return new StringValue(items.Count <= 1 ? string.Concat(items) : string.Join(", ", items[..^1]) + " and " + items[^1]);
        });
        // A string built in a loop ({% assign s = s | append: s %}) grows before anything is written, so the output bound
        // would come too late: every filter's result is held to the same bound.
        foreach (var (name, filter) in options.Filters.ToList())
            options.Filters.AddFilter(name, async (input, arguments, context) =>
            {
                var result = await filter(input, arguments, context);
                if (result is StringValue text && text.ToStringValue().Length > MaxOutputChars)
                    throw new InvalidOperationException($"A filter in the clause produced more than {MaxOutputChars} characters.");
                return result;
            });
        return options;
    }

    internal const string WordsKey = "concordat.words";

    /// <summary>Every problem with the sections' clauses, given the questions they may use; empty when the version can be saved.</summary>
    public static IReadOnlyList<ClauseProblem> Check(IEnumerable<TemplateSection> sections, IEnumerable<TemplateQuestion> questions)
    {
        var known = questions.Select(q => q.Key).Concat(BuiltIns).ToHashSet(StringComparer.Ordinal);
        var placeholders = ClauseAnswers.Placeholders(questions);
        var problems = new List<ClauseProblem>();
        foreach (var section in sections)
        {
            void Problem(int? line, string message) => problems.Add(new(section.Key, section.Heading, line, message));
            if (!Parser.TryParse(section.Clause, out var template, out var error))
            {
                var at = ErrorPosition().Match(error);
                Problem(at.Success ? int.Parse(at.Groups["line"].Value) : null, ErrorMessage(error));
                continue;
            }
            var walk = new ClauseWalk();
            walk.VisitTemplate(template);
            foreach (var name in walk.Variables.Where(v => !known.Contains(v)))
                Problem(LineOf(section.Clause, name), $"\"{name}\" is not one of the template's questions. Use a question's key, or add the question.");
            foreach (var filter in walk.Filters.Where(f => !Options.Filters.TryGetValue(f, out _)))
                Problem(LineOf(section.Clause, filter), $"There is no filter called \"{filter}\".");
            foreach (var refused in walk.Refused) Problem(LineOf(section.Clause, refused.Word), refused.Message);
            if (problems.Any(p => p.SectionKey == section.Key)) continue;
            // Rendered once with stand-in answers, so a clause that fails or runs away does so here and not for a drafter.
            try
            {
                Render(section.Clause, placeholders);
            }
            catch (ClauseRenderException e)
            {
                Problem(null, $"The clause cannot be rendered: {e.Message}");
            }
        }
        return problems;
    }

    /// <summary>The questions a valid clause reads (loop and assigned names aside): which sections an answer appears in.</summary>
    public static IReadOnlySet<string> VariablesOf(string clause)
    {
        var walk = new ClauseWalk();
        walk.VisitTemplate(Parser.Parse(clause));
        return walk.Variables;
    }

    /// <summary>Renders a clause to Markdown with the answers (prepared by <see cref="ClauseAnswers"/>); throws <see cref="ClauseRenderException"/> past the bounds.</summary>
    public static string Render(string clause, ClauseAnswers answers)
    {
        var template = Parser.Parse(clause);
        var context = new TemplateContext(Options);
        context.AmbientValues[WordsKey] = answers.Words;
        foreach (var (key, value) in answers.Values) context.SetValue(key, value);
        using var output = new BoundedWriter(MaxOutputChars);
        try
        {
            template.RenderAsync(output, NullEncoder.Default, context).AsTask().GetAwaiter().GetResult();
        }
        catch (InvalidOperationException e)
        {
            // Fluid reports too many steps with its recursion message; both mean the clause does too much.
            throw new ClauseRenderException("The clause took too many steps or produced too much text to render.", e);
        }
        catch (FluidException e)
        {
            throw new ClauseRenderException(e.Message, e);
        }
        return output.ToString();
    }

    /// <summary>"'{% endif %}' was expected at (1:26)\nSource: ..." → "'{% endif %}' was expected (column 26)".</summary>
    static string ErrorMessage(string error)
    {
        var first = error.Split('\n')[0];
        var at = ErrorPosition().Match(first);
        if (!at.Success) return first;
        var message = first[..at.Index].TrimEnd();
        return (message.EndsWith(" at", StringComparison.Ordinal) ? message[..^3] : message) + $" (column {at.Groups["column"].Value})";
    }

    /// <summary>
    /// The line of the first Liquid tag that names <paramref name="word"/>. The syntax tree keeps no positions, so the
    /// source is searched, with string literals blanked so a word inside quotes does not count.
    /// </summary>
    static int? LineOf(string source, string word)
    {
        var name = new Regex(char.IsLetter(word[0]) ? @"(?<![\w.-])" + Regex.Escape(word) + @"(?![\w-])" : Regex.Escape(word));
        foreach (Match tag in LiquidTag().Matches(source))
        {
            var body = StringLiteral().Replace(tag.Value, m => new string(' ', m.Length));
            if (name.Match(body) is { Success: true } hit) return 1 + source.AsSpan(0, tag.Index + hit.Index).Count('\n');
        }
        return null;
    }

    [GeneratedRegex(@"\((?<line>\d+):(?<column>\d+)\)")]
    private static partial Regex ErrorPosition();

    [GeneratedRegex(@"\{\{.*?\}\}|\{%.*?%\}", RegexOptions.Singleline)]
    private static partial Regex LiquidTag();

    [GeneratedRegex("\"[^\"]*\"|'[^']*'")]
    private static partial Regex StringLiteral();

    /// <summary>
    /// Walks a clause for the names it reads from outside (not loop variables, not names it assigns first), the filters
    /// it uses, and what a clause may not do: include other files, or loop over a range (whose size Fluid builds in
    /// memory before any bound applies).
    /// </summary>
    sealed class ClauseWalk : AstVisitor
    {
        readonly Stack<string> _loopNames = new();
        readonly HashSet<string> _assigned = [];
        public SortedSet<string> Variables { get; } = new(StringComparer.Ordinal);
        public SortedSet<string> Filters { get; } = new(StringComparer.Ordinal);
        public List<(string Word, string Message)> Refused { get; } = [];

        protected override Expression VisitMemberExpression(MemberExpression e)
        {
            if (e.Segments.Count > 0 && e.Segments[0] is IdentifierSegment root && !_loopNames.Contains(root.Identifier) && !_assigned.Contains(root.Identifier))
                Variables.Add(root.Identifier);
            foreach (var segment in e.Segments.OfType<IndexerSegment>()) Visit(segment.Expression);
            return e;
        }

        protected override Expression VisitFilterExpression(FilterExpression e)
        {
            Filters.Add(e.Name);
            return base.VisitFilterExpression(e);
        }

        protected override Expression VisitRangeExpression(RangeExpression e)
        {
            Refused.Add(("..", "Ranges such as (1..10) are not allowed in clauses: loop over a question's list instead."));
            return e;
        }

        protected override Statement VisitIncludeStatement(IncludeStatement s)
        {
            Refused.Add(("include", "A clause cannot include other files: put the text in the section."));
            return s;
        }

        protected override Statement VisitRenderStatement(RenderStatement s)
        {
            Refused.Add(("render", "A clause cannot render other files: put the text in the section."));
            return s;
        }

        protected override Statement VisitAssignStatement(AssignStatement s)
        {
            Visit(s.Value); // the value is read before the name exists
            _assigned.Add(s.Identifier);
            return s;
        }

        protected override Statement VisitCaptureStatement(CaptureStatement s)
        {
            foreach (var statement in s.Statements) Visit(statement);
            _assigned.Add(s.Identifier);
            return s;
        }

        protected override Statement VisitForStatement(ForStatement s)
        {
            Visit(s.Source);
            Visit(s.Range);
            Visit(s.Limit);
            Visit(s.Offset);
            _loopNames.Push(s.Identifier);
            _loopNames.Push("forloop");
            foreach (var statement in s.Statements) Visit(statement);
            _loopNames.Pop();
            _loopNames.Pop();
            Visit(s.Else);
            return s;
        }

        protected override Statement VisitTableRowStatement(TableRowStatement s)
        {
            Refused.Add(("tablerow", "Tables are written in Markdown in clauses, not with tablerow."));
            return s;
        }
    }

    /// <summary>Counts what is written and stops a clause that writes too much.</summary>
    sealed class BoundedWriter(int limit) : StringWriter
    {
        void Count(int chars)
        {
            if (GetStringBuilder().Length + chars > limit) throw new InvalidOperationException($"A clause rendered to more than {limit} characters.");
        }

        public override void Write(char value) { Count(1); base.Write(value); }
        public override void Write(string? value) { Count(value?.Length ?? 0); base.Write(value); }
        public override void Write(char[] buffer, int index, int count) { Count(count); base.Write(buffer, index, count); }
        public override void Write(ReadOnlySpan<char> buffer) { Count(buffer.Length); base.Write(buffer); }
        public override Task WriteAsync(char value) { Count(1); return base.WriteAsync(value); }
        public override Task WriteAsync(string? value) { Count(value?.Length ?? 0); return base.WriteAsync(value); }
        public override Task WriteAsync(char[] buffer, int index, int count) { Count(count); return base.WriteAsync(buffer, index, count); }
        public override Task WriteAsync(ReadOnlyMemory<char> buffer, CancellationToken ct = default) { Count(buffer.Length); return base.WriteAsync(buffer, ct); }
    }
}

public sealed class ClauseRenderException(string message, Exception inner) : Exception(message, inner);

/// <summary>Clause Markdown to HTML: pipe tables, and no raw HTML (a template author's or an answer's markup is shown as text).</summary>
public static class ClauseHtml
{
    static readonly Markdig.MarkdownPipeline Pipeline = new Markdig.MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    public static string From(string markdown) => Markdig.Markdown.ToHtml(markdown, Pipeline);
}
