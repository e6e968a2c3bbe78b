using System.Xml;
using DocumentFormat.OpenXml.Packaging;

namespace Concordat.Documents;

/// <summary>
/// Reads the text of a Word document. OpenXml locates the parts (main document, headers, footers,
/// footnotes, endnotes, comments, app properties) through the package relationships; each part is then streamed through an
/// <see cref="XmlReader"/> wrapped in the expansion budget, so no part is ever held in memory as a DOM.
/// </summary>
internal static class DocxTextReader
{
    private const string W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
    private const string MarkupCompatibility = "http://schemas.openxmlformats.org/markup-compatibility/2006";
    private const string ExtendedProperties = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties";

    // Property and layout elements hold no visible text; w:tab inside w:pPr is a tab stop, not a tab.
    private static readonly HashSet<string> SkippedElements =
    [
        "pPr", "rPr", "sectPr", "tblPr", "tblGrid", "trPr", "tcPr", "tblPrEx", "instrText", "delText", "fldData",
    ];

    public static ExtractedText Read(string path, DocumentOptions options, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);

        // Check declared sizes, then decompress everything once into nowhere: OpenXml's packaging layer
        // reads parts such as [Content_Types].xml itself, so it must only ever see an archive already
        // proven small.
        using (var archive = ZipGuard.OpenChecked(file, options))
        {
            ZipGuard.MeasureActualSize(archive, ExpansionBudget.For(options), cancellationToken);
        }

        file.Position = 0;
        using var document = WordprocessingDocument.Open(file, isEditable: false);
        var main = document.MainDocumentPart ?? throw new InvalidDataException("The document has no main part.");

        var budget = ExpansionBudget.For(options);
        var writer = new StructuredTextWriter();
        foreach (var header in main.HeaderParts)
        {
            ReadPart(header, writer, budget, cancellationToken);
            writer.Section();
        }

        ReadPart(main, writer, budget, cancellationToken);
        writer.Section();

        foreach (var footer in main.FooterParts)
        {
            ReadPart(footer, writer, budget, cancellationToken);
            writer.Section();
        }

        // Footnotes, endnotes and reviewers' comments are words people search for too.
        foreach (var notes in new OpenXmlPart?[] { main.FootnotesPart, main.EndnotesPart, main.WordprocessingCommentsPart }.OfType<OpenXmlPart>())
        {
            ReadPart(notes, writer, budget, cancellationToken);
            writer.Section();
        }

        var pages = document.ExtendedFilePropertiesPart is { } app ? ReadPageCount(app, budget) : null;
        return ExtractedText.From(writer.ToString(), pages, TextSource.TextLayer);
    }

    private static void ReadPart(OpenXmlPart part, StructuredTextWriter writer, ExpansionBudget budget, CancellationToken cancellationToken)
    {
        using var stream = budget.Wrap(part.GetStream(FileMode.Open, FileAccess.Read));
        using var reader = XmlReader.Create(stream, XmlSafety.ReaderSettings);
        var inText = false;
        var nodes = 0;

        while (reader.Read())
        {
            if (++nodes % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.NamespaceURI == MarkupCompatibility && reader.LocalName == "Fallback":
                    // Alternate content repeats its text in the fallback branch; read the choice only.
                    if (!reader.IsEmptyElement)
                    {
                        SkipSubtree(reader);
                    }

                    break;
                case XmlNodeType.Element when reader.NamespaceURI == W:
                    HandleElement(reader, writer, ref inText);
                    break;
                case XmlNodeType.EndElement when reader.NamespaceURI == W:
                    HandleEndElement(reader.LocalName, writer, ref inText);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when inText:
                    writer.Append(reader.Value);
                    break;
            }
        }
    }

    private static void HandleElement(XmlReader reader, StructuredTextWriter writer, ref bool inText)
    {
        var empty = reader.IsEmptyElement;
        switch (reader.LocalName)
        {
            case var name when SkippedElements.Contains(name):
                if (!empty)
                {
                    SkipSubtree(reader);
                }
                break;
            case "t":
                inText = !empty;
                break;
            case "tab":
                writer.Append('\t');
                break;
            case "br" or "cr":
                writer.LineBreak();
                break;
            case "noBreakHyphen":
                writer.Append('-');
                break;
            case "tr":
                writer.StartRow();
                if (empty) writer.EndRow();
                break;
            case "tc":
                writer.StartCell();
                if (empty) writer.EndCell();
                break;
            case "p" when empty:
                writer.EndParagraph();
                break;
        }
    }

    private static void HandleEndElement(string localName, StructuredTextWriter writer, ref bool inText)
    {
        switch (localName)
        {
            case "t":
                inText = false;
                break;
            case "p":
                writer.EndParagraph();
                break;
            case "tc":
                writer.EndCell();
                break;
            case "tr":
                writer.EndRow();
                break;
        }
    }

    /// <summary>
    /// Advances to the end tag of the current element without acting on its content. Unlike
    /// <see cref="XmlReader.Skip"/> it stops on the end tag, so the caller's next Read lands on the sibling.
    /// </summary>
    private static void SkipSubtree(XmlReader reader)
    {
        var depth = reader.Depth;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
        }
    }

    private static int? ReadPageCount(ExtendedFilePropertiesPart part, ExpansionBudget budget)
    {
        using var stream = budget.Wrap(part.GetStream(FileMode.Open, FileAccess.Read));
        using var reader = XmlReader.Create(stream, XmlSafety.ReaderSettings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "Pages" && reader.NamespaceURI == ExtendedProperties)
            {
                return int.TryParse(reader.ReadElementContentAsString(), out var pages) && pages > 0 ? pages : null;
            }
        }

        return null;
    }
}

internal static class XmlSafety
{
    /// <summary>No DTDs (so no entity expansion bombs) and no external resolution.</summary>
    public static XmlReaderSettings ReaderSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };
}
