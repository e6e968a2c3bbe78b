using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using MdTable = Markdig.Extensions.Tables.Table;
using MdTableCell = Markdig.Extensions.Tables.TableCell;
using MdTableRow = Markdig.Extensions.Tables.TableRow;
using WordTableCell = DocumentFormat.OpenXml.Wordprocessing.TableCell;
using WordTableRow = DocumentFormat.OpenXml.Wordprocessing.TableRow;
using WordTable = DocumentFormat.OpenXml.Wordprocessing.Table;

namespace Concordat.Templates.Drafting;

/// <summary>
/// The agreement as a Word document, from the same Markdown the HTML is made from: the title as Title, each numbered
/// section as Heading 1 (so the navigation pane and screen readers see the structure), Markdown headings below that as
/// Heading 2, lists as bulleted paragraphs, and Markdown tables (parties, data items, signatures) as Word tables with a
/// repeating header row.
/// </summary>
public static class WordDocument
{
    static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    public static byte[] Create(string title, string subtitle, IEnumerable<(string Heading, string Markdown)> sections)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            document.PackageProperties.Title = title;
            document.PackageProperties.Language = "en-GB";
            var main = document.AddMainDocumentPart();
            AddStyles(main);
            var body = new Body();
            body.Append(Styled(title, "Title"), Styled(subtitle, null));
            var number = 0;
            foreach (var (heading, markdown) in sections)
            {
                body.Append(Styled($"{++number}. {heading}", "Heading1"));
                foreach (var block in Markdown.Parse(markdown, Pipeline)) body.Append(Blocks(block));
            }
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    static IEnumerable<OpenXmlElement> Blocks(Block block) => block switch
    {
        HeadingBlock heading => [Paragraph(heading.Inline, "Heading2")],
        ParagraphBlock paragraph => [Paragraph(paragraph.Inline, null)],
        ListBlock list => list.OfType<ListItemBlock>().SelectMany(item => item.OfType<ParagraphBlock>()
            .Select(p => Paragraph(p.Inline, null, bullet: list.IsOrdered ? $"{item.Order}." : "•"))),
        MdTable table => [Table(table)],
        ContainerBlock container => container.SelectMany(Blocks),
        _ => [],
    };

    static Paragraph Paragraph(ContainerInline? inlines, string? style, string? bullet = null)
    {
        var paragraph = new Paragraph();
        var properties = new ParagraphProperties();
        if (style is not null) properties.Append(new ParagraphStyleId { Val = style });
        if (bullet is not null) properties.Append(new Indentation { Left = "567", Hanging = "283" });
        paragraph.Append(properties);
        if (bullet is not null) paragraph.Append(Run(bullet + "\t", bold: false, italic: false));
        if (inlines is not null) paragraph.Append(Runs(inlines, bold: false, italic: false));
        return paragraph;
    }

    static IEnumerable<Run> Runs(ContainerInline container, bool bold, bool italic)
    {
        foreach (var inline in container)
        {
            switch (inline)
            {
                case LiteralInline literal: yield return Run(literal.Content.ToString(), bold, italic); break;
                case CodeInline code: yield return Run(code.Content, bold, italic); break;
                case LineBreakInline: yield return Run(" ", bold, italic); break;
                case EmphasisInline emphasis:
                    foreach (var run in Runs(emphasis, bold || emphasis.DelimiterCount >= 2, italic || emphasis.DelimiterCount == 1)) yield return run;
                    break;
                case LinkInline link:
                    foreach (var run in Runs(link, bold, italic)) yield return run;
                    if (!string.IsNullOrEmpty(link.Url)) yield return Run($" ({link.Url})", bold, italic);
                    break;
                case ContainerInline other:
                    foreach (var run in Runs(other, bold, italic)) yield return run;
                    break;
            }
        }
    }

    static Run Run(string text, bool bold, bool italic)
    {
        var run = new Run();
        if (bold || italic)
        {
            var properties = new RunProperties();
            if (bold) properties.Append(new Bold());
            if (italic) properties.Append(new Italic());
            run.Append(properties);
        }
        run.Append(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        return run;
    }

    static WordTable Table(MdTable source)
    {
        var border = new Func<BorderType, BorderType>(b => { b.Val = BorderValues.Single; b.Size = 4; b.Color = "505A5F"; return b; });
        var table = new WordTable(new TableProperties(
            new TableWidth { Type = TableWidthUnitValues.Pct, Width = "5000" },
            new TableBorders(border(new TopBorder()), border(new LeftBorder()), border(new BottomBorder()), border(new RightBorder()),
                border(new InsideHorizontalBorder()), border(new InsideVerticalBorder()))));
        // The grid Word lays the columns on: equal columns across the page.
        var columns = Math.Max(1, source.OfType<MdTableRow>().Select(r => r.Count).DefaultIfEmpty(1).Max());
        table.Append(new TableGrid(Enumerable.Range(0, columns).Select(_ => new GridColumn { Width = (9000 / columns).ToString() })));
        foreach (var row in source.OfType<MdTableRow>())
        {
            var wordRow = new WordTableRow();
            // The header row repeats on every page, and tells assistive technology which cells head the columns.
            if (row.IsHeader) wordRow.Append(new TableRowProperties(new TableHeader()));
            foreach (var cell in row.OfType<MdTableCell>())
            {
                var paragraphs = cell.OfType<ParagraphBlock>().Select(p => Paragraph(p.Inline, null)).ToList();
                if (row.IsHeader) foreach (var run in paragraphs.SelectMany(p => p.Elements<Run>())) run.PrependChild(new RunProperties(new Bold()));
                wordRow.Append(new WordTableCell(paragraphs.Count > 0 ? paragraphs : [new Paragraph()]));
            }
            table.Append(wordRow);
        }
        return table;
    }

    static Paragraph Styled(string text, string? style)
    {
        var paragraph = new Paragraph();
        if (style is not null) paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        paragraph.Append(Run(text, bold: false, italic: false));
        return paragraph;
    }

    static void AddStyles(MainDocumentPart main)
    {
        Style Heading(string id, string name, int halfPoints, int outline) => new(
            new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" }, new PrimaryStyle(),
            new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "240", After = "120" }, new OutlineLevel { Val = outline }),
            new StyleRunProperties(new Bold(), new FontSize { Val = halfPoints.ToString() }))
        { Type = StyleValues.Paragraph, StyleId = id };
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        styles.Styles = new Styles(
            new DocDefaults(new RunPropertiesDefault(new RunPropertiesBaseStyle(
                new RunFonts { Ascii = "Arial", HighAnsi = "Arial", ComplexScript = "Arial" }, new FontSize { Val = "24" }, new Languages { Val = "en-GB" }))),
            new Style(new StyleName { Val = "Normal" }, new PrimaryStyle(),
                new StyleParagraphProperties(new SpacingBetweenLines { After = "120", Line = "300", LineRule = LineSpacingRuleValues.Auto }))
            { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            new Style(new StyleName { Val = "Title" }, new BasedOn { Val = "Normal" }, new PrimaryStyle(),
                new StyleRunProperties(new Bold(), new FontSize { Val = "44" }))
            { Type = StyleValues.Paragraph, StyleId = "Title" },
            Heading("Heading1", "heading 1", 32, 0),
            Heading("Heading2", "heading 2", 26, 1));
        styles.Styles.Save();
    }
}
