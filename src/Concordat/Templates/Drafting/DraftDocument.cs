using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Concordat.Templates.Drafting;

/// <summary>One section of a drafted agreement: the template's wording with the answers in, and the drafter's own when they changed it.</summary>
public sealed record DraftSection(TemplateSection Section, int Number, string TemplateWording, string? OwnWording)
{
    public string Markdown => OwnWording ?? TemplateWording;
    /// <summary>Wording the framework fixed, changed by the drafter: the agreement departs from the template here.</summary>
    public bool Departs => Section.Locked && OwnWording is not null;
}

/// <summary>
/// The agreement a draft makes, from one source: each section rendered from the answers (or the drafter's own wording),
/// shown as the preview, stored as accessible HTML and as a Word document, and compared with the template where the
/// drafter changed wording the framework fixed.
/// </summary>
public sealed partial class DraftDocument
{
    public string Title { get; }
    public string Subtitle { get; }
    public IReadOnlyList<DraftSection> Sections { get; }

    public DraftDocument(AgreementTemplate template, AgreementDraft draft, IReadOnlyDictionary<int, string> organisationNames)
    {
        var version = draft.TemplateVersion!;
        var answers = DraftAnswers.ForClauses(version, template.Type, draft.Answers, organisationNames);
        Title = draft.Answers.GetValueOrDefault("title") ?? "Untitled agreement";
        Subtitle = $"Drafted from {template.Name}, version {version.Number}, pre-approved by the framework.";
        Sections = version.Sections.Select((s, i) => new DraftSection(s, i + 1, Readable(Clauses.Render(s.Clause, answers)), draft.Wording.GetValueOrDefault(s.Key))).ToList();
    }

    public IEnumerable<DraftSection> Departures => Sections.Where(s => s.Departs);

    /// <summary>Each section (or those chosen) as HTML, its heading at <paramref name="level"/>: a page's preview uses a lower level than the document.</summary>
    public string SectionsHtml(int level = 2, Func<DraftSection, bool>? which = null) => string.Concat(Sections.Where(which ?? (_ => true)).Select(s =>
        $"<h{level}>{s.Number}. {WebUtility.HtmlEncode(s.Section.Heading)}</h{level}>{ClauseHtml.From(s.Markdown)}"));

    /// <summary>The agreement as a document of its own: accessible HTML that prints.</summary>
    public string Html() => $"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{WebUtility.HtmlEncode(Title)}</title>
        <style>body{"{"}font-family:Arial,sans-serif;max-width:46em;margin:2em auto;line-height:1.5{"}"} table{"{"}border-collapse:collapse{"}"} td,th{"{"}border:1px solid #505a5f;padding:.3em .6em;text-align:left{"}"}</style></head>
        <body><h1>{WebUtility.HtmlEncode(Title)}</h1>
        <p>{WebUtility.HtmlEncode(Subtitle)}</p>
        {SectionsHtml()}
        </body></html>
        """;

    public byte[] Word() => WordDocument.Create(Title, Subtitle, Sections.Select(s => (s.Section.Heading, s.Markdown)));

    /// <summary>The title as a file name: "Referrals: Camden" → "referrals-camden.docx".</summary>
    public string FileName(string extension) => NotLetters().Replace(Title.ToLowerInvariant(), "-").Trim('-') + "." + extension;

    [GeneratedRegex(@"[^\p{L}\p{Nd}]+")]
    private static partial Regex NotLetters();

    /// <summary>The most wording a drafter may write for one section.</summary>
    public const int MaxWordingLength = 20_000;

    /// <summary>
    /// Rendered wording with the escapes a reader editing it does not need taken out: answers are escaped for Markdown
    /// everywhere, but brackets, braces and "!" never start markup on their own (links need an unescaped "["), and "-",
    /// "+", "#" and "&gt;" only at the start of a line. What could still become markup keeps its backslash.
    /// </summary>
    public static string Readable(string markdown) => NeedlessEscape().Replace(markdown, m =>
    {
        var c = m.Value[1];
        if (c == '\\') return m.Value;
        if (c is '-' or '+' or '#' or '>')
        {
            var lineStart = markdown.LastIndexOf('\n', Math.Max(0, m.Index - 1)) + 1;
            if (markdown.AsSpan(lineStart, m.Index - lineStart).IsWhiteSpace()) return m.Value;
        }
        return c.ToString();
    });

    [GeneratedRegex(@"\\[\\(){}!~\-+#>]")]
    private static partial Regex NeedlessEscape();

    /// <summary>Wording as compared: line endings and trailing spaces do not make a change.</summary>
    public static string Normalise(string wording) =>
        string.Join('\n', wording.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).Trim();

    /// <summary>What the approvers approve: the departing sections' headings and both wordings. A change to any of them needs approving again.</summary>
    public static string DeparturesHash(IEnumerable<(string Key, string TemplateWording, string AgreedWording)> departures) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001e",
            departures.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}\u001f{d.TemplateWording}\u001f{d.AgreedWording}")))));
}
