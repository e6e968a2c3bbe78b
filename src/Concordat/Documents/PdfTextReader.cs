using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using UglyToad.PdfPig.Exceptions;

namespace Concordat.Documents;

/// <summary>Reads a PDF's text layer with PdfPig.</summary>
internal static class PdfTextReader
{
    /// <summary>Each page's text, in order (empty for a page with none).</summary>
    public sealed record Result(IReadOnlyList<string> Pages)
    {
        public string Text => string.Join("\n\n", Pages.Where(p => p.Length > 0));
        public int PageCount => Pages.Count;
    }

    /// <param name="maxExpandedBytes">the most the file's streams may inflate to, all together (<see cref="BoundedPdfFilters"/>)</param>
    public static Result Read(string path, long maxExpandedBytes, CancellationToken cancellationToken)
    {
        var budget = new ExpansionBudget(maxExpandedBytes);
        try
        {
            using var document = PdfDocument.Open(path, new ParsingOptions { UseLenientParsing = true, FilterProvider = new BoundedPdfFilters(budget) });
            if (document.NumberOfPages == 0)
                throw new UnreadableDocumentException("The PDF has no pages. It may be incomplete: export or save it again, then upload it.");
            var pages = new List<string>(document.NumberOfPages);
            foreach (var page in document.GetPages())
            {
                cancellationToken.ThrowIfCancellationRequested();
                // ContentOrderTextExtractor inserts spaces and line breaks from glyph positions;
                // page.Text runs words together in many real-world PDFs.
                pages.Add(ContentOrderTextExtractor.GetText(page).Trim());
            }

            // Lenient parsing may have caught the refusal and gone on without that stream: the file is still refused.
            if (budget.Exhausted) throw budget.TooLarge();
            return new Result(pages);
        }
        catch (Exception e) when (budget.Exhausted && e is not DocumentTooLargeException)
        {
            throw budget.TooLarge();
        }
        catch (PdfDocumentEncryptedException e)
        {
            throw new UnreadableDocumentException(
                "The PDF is password protected. Remove the password and upload it again.", e);
        }
        catch (Exception e) when (e is not (OperationCanceledException or DocumentRejectedException or OutOfMemoryException))
        {
            // PdfPig signals damage with many exception types (format, parse, index, null reference...).
            throw new PdfNotParsedException(e);
        }
    }
}

/// <summary>PdfPig could not parse the PDF: another reader may still manage it before it is refused.</summary>
internal sealed class PdfNotParsedException(Exception inner)
    : UnreadableDocumentException("The PDF could not be read. It may be damaged or incomplete; try saving or exporting it again.", inner);
