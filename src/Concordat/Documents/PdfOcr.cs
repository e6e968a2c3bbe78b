
namespace Concordat.Documents;

/// <summary>
/// Recognises text in scanned PDFs by rendering pages with poppler's <c>pdftoppm</c> and reading them
/// with <c>tesseract</c>. Both are external programs found on PATH; nothing is downloaded at run time.
/// </summary>
public static class PdfOcr
{
    private const string Renderer = "pdftoppm";
    private const string Recogniser = "tesseract";

    // Tesseract's OpenMP threads fight each other on small machines; one thread per page is faster.
    private static readonly Dictionary<string, string> Tesseract = new() { ["OMP_THREAD_LIMIT"] = "1" };

    /// <summary>True when both programs are installed. Checked each call so installing them needs no restart.</summary>
    public static bool IsAvailable() => ExternalTool.Find(Renderer) is not null && ExternalTool.Find(Recogniser) is not null;

    /// <summary>
    /// Renders up to <paramref name="maxPages"/> pages at 200 dpi and returns their text, pages separated by
    /// blank lines. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/> and
    /// <see cref="InvalidOperationException"/> if a tool is missing or fails.
    /// </summary>
    public static async Task<string> RecognizeAsync(string pdfPath, int maxPages, TimeSpan timeout, CancellationToken cancellationToken = default,
        string? workRoot = null)
    {
        var renderer = ExternalTool.Find(Renderer) ?? throw new InvalidOperationException($"{Renderer} is not installed.");
        var recogniser = ExternalTool.Find(Recogniser) ?? throw new InvalidOperationException($"{Recogniser} is not installed.");

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var workDir = workRoot is null
            ? Directory.CreateTempSubdirectory("concordat-ocr-").FullName
            : Directory.CreateDirectory(Path.Combine(workRoot, "concordat-ocr-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            await ExternalTool.RunAsync(renderer,
                ["-r", "200", "-png", "-f", "1", "-l", Math.Max(1, maxPages).ToString(), Path.GetFullPath(pdfPath), Path.Combine(workDir, "page")],
                timeoutSource.Token);

            var pages = new List<string>();
            foreach (var image in PageImagesInOrder(workDir))
            {
                var text = await ExternalTool.RunAsync(recogniser, [image, "stdout"], timeoutSource.Token, Tesseract);
                pages.Add(text.Trim());
            }

            return string.Join("\n\n", pages.Where(p => p.Length > 0));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"OCR did not finish within {timeout.TotalSeconds:0} seconds.");
        }
        finally
        {
            try
            {
                Directory.Delete(workDir, recursive: true);
            }
            catch (IOException)
            {
                // A killed process may briefly hold a file; the OS temp cleaner will get it.
            }
        }
    }

    /// <summary>pdftoppm names pages page-1.png or page-01.png depending on the page count; sort by number.</summary>
    private static IEnumerable<string> PageImagesInOrder(string dir) =>
        Directory.EnumerateFiles(dir, "page-*.png")
            .OrderBy(f => int.TryParse(Path.GetFileNameWithoutExtension(f)["page-".Length..], out var n) ? n : int.MaxValue);
}
