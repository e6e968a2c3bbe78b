using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace Concordat.Demo;

/// <summary>A document to write: a title and sections of paragraphs.</summary>
public sealed record DocumentContent(string Title, IReadOnlyList<(string Heading, IReadOnlyList<string> Paragraphs)> Sections);

/// <summary>
/// Writes agreement documents as real PDF (text layer, Helvetica, A4) and DOCX (headings, a parties
/// table) files, for the demo register, the tests' fixtures and the ingest benchmark.
/// </summary>
public static class AgreementDocumentWriter
{
    const double Margin = 56, FontSize = 10.5, Leading = 14;
    const int CharsPerLine = 95;

    public static byte[] Pdf(DocumentContent content)
    {
        var builder = new PdfDocumentBuilder();
        var regular = builder.AddStandard14Font(Standard14Font.Helvetica);
        var bold = builder.AddStandard14Font(Standard14Font.HelveticaBold);
        PdfPageBuilder? page = null;
        double y = 0;

        void NewPage()
        {
            page = builder.AddPage(UglyToad.PdfPig.Content.PageSize.A4);
            y = page.PageSize.Height - Margin;
        }

        void Line(string text, PdfDocumentBuilder.AddedFont font, double size)
        {
            if (page is null || y < Margin + Leading) NewPage();
            page!.AddText(Ascii(text), size, new PdfPoint(Margin, y), font);
            y -= size + 4;
        }

        NewPage();
        Line(content.Title, bold, 16);
        y -= Leading;
        foreach (var (heading, paragraphs) in content.Sections)
        {
            y -= 6;
            Line(heading, bold, 12.5);
            foreach (var paragraph in paragraphs)
            {
                foreach (var line in Wrap(paragraph, CharsPerLine)) Line(line, regular, FontSize);
                y -= Leading / 2;
            }
        }
        return builder.Build();
    }

    public static byte[] Docx(DocumentContent content, IReadOnlyList<(string Organisation, string Role)>? parties = null)
    {
        using var stream = new MemoryStream();
        using (var doc = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = doc.AddMainDocumentPart();
            AddHeadingStyles(main);
            var body = new Body();
            body.Append(Heading(content.Title, "Title"));
            if (parties is { Count: > 0 })
                body.Append(Paragraph("Parties to this agreement:"), PartiesTable(parties));
            foreach (var (heading, paragraphs) in content.Sections)
            {
                body.Append(Heading(heading, "Heading1"));
                foreach (var p in paragraphs) body.Append(Paragraph(p));
            }
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    static Paragraph Heading(string text, string style) =>
        new(new ParagraphProperties(new ParagraphStyleId { Val = style }), new Run(new Text(text)));

    static Paragraph Paragraph(string text) => new(new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));

    static Table PartiesTable(IReadOnlyList<(string Organisation, string Role)> parties)
    {
        var table = new Table(new TableProperties(new TableBorders(
            new TopBorder { Val = BorderValues.Single, Size = 4 }, new BottomBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 },
            new LeftBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 })));
        table.Append(Row("Organisation", "Role"));
        foreach (var (organisation, role) in parties) table.Append(Row(organisation, role));
        return table;

        static TableRow Row(string a, string b) => new(new TableCell(Paragraph(a)), new TableCell(Paragraph(b)));
    }

    static void AddHeadingStyles(MainDocumentPart main)
    {
        var styles = main.AddNewPart<StyleDefinitionsPart>();
        Style HeadingStyle(string id, string name, int halfPoints, int level) => new(
            new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" },
            new StyleParagraphProperties(new KeepNext(), new OutlineLevel { Val = level }),
            new StyleRunProperties(new Bold(), new FontSize { Val = halfPoints.ToString() }))
        { Type = StyleValues.Paragraph, StyleId = id };
        styles.Styles = new Styles(
            new Style(new StyleName { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            HeadingStyle("Title", "Title", 36, 0),
            HeadingStyle("Heading1", "heading 1", 28, 0));
        styles.Styles.Save();
    }

    static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }

    /// <summary>The standard fonts encode WinAnsi only; keep to plain characters.</summary>
    static string Ascii(string text) => new(text.Select(c => c switch
    {
        '‘' or '’' => '\'',
        '“' or '”' => '"',
        '–' or '—' => '-',
        _ when c < 32 || c > 126 => ' ',
        _ => c,
    }).ToArray());
}
