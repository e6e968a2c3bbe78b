using System.Xml;

namespace Concordat.Documents;

/// <summary>
/// Reads the text of an OpenDocument text file from its content.xml, streamed through an
/// <see cref="XmlReader"/> and the expansion budget. Only the entries we read are decompressed.
/// </summary>
internal static class OdtTextReader
{
    private const string TextNs = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
    private const string TableNs = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
    private const string OfficeNs = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

    public static ExtractedText Read(string path, DocumentOptions options, CancellationToken cancellationToken)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var archive = ZipGuard.OpenChecked(file, options);
        var content = archive.GetEntry("content.xml") ?? throw new InvalidDataException("The document has no content.xml.");

        var writer = new StructuredTextWriter();
        var budget = ExpansionBudget.For(options);
        ReadParagraphs(content, writer, budget, cancellationToken);
        // The page headers and footers are in styles.xml, the only paragraphs it holds.
        if (archive.GetEntry("styles.xml") is { } styles)
        {
            writer.Section();
            ReadParagraphs(styles, writer, budget, cancellationToken);
        }

        return ExtractedText.From(writer.ToString(), null, TextSource.TextLayer);
    }

    private static void ReadParagraphs(System.IO.Compression.ZipArchiveEntry entry, StructuredTextWriter writer, ExpansionBudget budget, CancellationToken cancellationToken)
    {
        using var stream = budget.Wrap(entry.Open());
        using var reader = XmlReader.Create(stream, XmlSafety.ReaderSettings);

        // ODF collapses whitespace inside paragraphs; text:s / text:tab / text:line-break carry the real spacing.
        var paragraphDepth = 0;
        var nodes = 0;
        while (reader.Read())
        {
            if (++nodes % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    paragraphDepth = OnElement(reader, writer, paragraphDepth);
                    break;
                case XmlNodeType.EndElement:
                    paragraphDepth = OnEndElement(reader, writer, paragraphDepth);
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace
                    when paragraphDepth > 0:
                    writer.AppendCollapsed(reader.Value);
                    break;
            }
        }
    }

    private static int OnElement(XmlReader reader, StructuredTextWriter writer, int paragraphDepth)
    {
        var empty = reader.IsEmptyElement;
        if (reader.NamespaceURI == OfficeNs && reader.LocalName == "annotation" && !empty)
        {
            // Reviewer comments are not part of the agreement's text.
            SkipSubtree(reader);
            return paragraphDepth;
        }

        if (reader.NamespaceURI == TextNs)
        {
            switch (reader.LocalName)
            {
                case "p" or "h":
                    if (empty) writer.EndParagraph();
                    else paragraphDepth++;
                    break;
                case "s":
                    var count = int.TryParse(reader.GetAttribute("c", TextNs), out var c) ? Math.Clamp(c, 1, 100) : 1;
                    writer.Append(new string(' ', count));
                    break;
                case "tab":
                    writer.Append('\t');
                    break;
                case "line-break":
                    writer.LineBreak();
                    break;
            }
        }
        else if (reader.NamespaceURI == TableNs)
        {
            switch (reader.LocalName)
            {
                case "table-row":
                    writer.StartRow();
                    if (empty) writer.EndRow();
                    break;
                case "table-cell":
                    writer.StartCell();
                    if (empty) writer.EndCell();
                    break;
                case "covered-table-cell" when !empty:
                    // Hidden by a merged cell: its content, if any, is not shown.
                    SkipSubtree(reader);
                    break;
            }
        }

        return paragraphDepth;
    }

    private static int OnEndElement(XmlReader reader, StructuredTextWriter writer, int paragraphDepth)
    {
        if (reader.NamespaceURI == TextNs && reader.LocalName is "p" or "h")
        {
            writer.EndParagraph();
            return Math.Max(0, paragraphDepth - 1);
        }

        if (reader.NamespaceURI == TableNs)
        {
            switch (reader.LocalName)
            {
                case "table-cell":
                    writer.EndCell();
                    break;
                case "table-row":
                    writer.EndRow();
                    break;
            }
        }

        return paragraphDepth;
    }

    private static void SkipSubtree(XmlReader reader)
    {
        var depth = reader.Depth;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
        }
    }
}
