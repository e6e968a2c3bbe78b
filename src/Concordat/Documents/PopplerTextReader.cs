namespace Concordat.Documents;

/// <summary>
/// The second reader of a PDF that PdfPig cannot parse: poppler's <c>pdftotext</c> (installed with pdftoppm for OCR)
/// repairs more kinds of damage, and real government PDFs that it reads were being refused. It runs as a child process
/// under a time and an address-space limit; pages come separated by form feeds.
/// </summary>
internal static class PopplerTextReader
{
    const string Program = "pdftotext";
    const long MemoryLimitBytes = 1L * 1024 * 1024 * 1024;

    public static bool IsAvailable() => ExternalTool.Find(Program) is not null;

    /// <summary>The text and page count, or null when poppler cannot read the file either.</summary>
    /// <param name="maxChars">the most text it may write: the file's expansion budget, as for PdfPig</param>
    public static async Task<PdfTextReader.Result?> ReadAsync(string path, TimeSpan timeout, long maxChars, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        string output;
        try
        {
            output = await ExternalTool.RunAsync(ExternalTool.Find(Program)!, ["-enc", "UTF-8", Path.GetFullPath(path), "-"], limit.Token,
                memoryLimitBytes: MemoryLimitBytes, maxOutputChars: maxChars);
        }
        catch (OutputTooLargeException)
        {
            throw new ExpansionBudget(maxChars).TooLarge();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
        // Each page ends with a form feed, so the last piece is what follows the last page.
        var pages = output.Split('\f')[..^1].Select(p => p.Trim()).ToList();
        return pages.Count == 0 ? null : new PdfTextReader.Result(pages);
    }
}
