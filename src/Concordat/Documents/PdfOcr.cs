
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
    /// The longest side, in pixels, a page is rendered at: about 200 dpi for A4 and A3, and a cap for the oversized
    /// pages real scans sometimes declare, which at a fixed resolution made images of hundreds of megabytes.
    /// </summary>
    public const int MaxPagePixels = 2400;

    /// <summary>
    /// Renders each of <paramref name="pages"/> (numbered from 1) and returns the text read from each, by page number.
    /// Throws <see cref="TimeoutException"/> after <paramref name="timeout"/> and <see cref="InvalidOperationException"/>
    /// if a tool is missing or fails.
    /// </summary>
    public static async Task<IReadOnlyDictionary<int, string>> RecognizeAsync(string pdfPath, IReadOnlyCollection<int> pages, TimeSpan timeout,
        CancellationToken cancellationToken = default, string? workRoot = null)
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
            var read = new Dictionary<int, string>();
            foreach (var page in pages.Order())
            {
                // One page at a time: only one page image is ever on disk and in tesseract's memory.
                var image = Path.Combine(workDir, $"page-{page}");
                await ExternalTool.RunAsync(renderer,
                    ["-scale-to", MaxPagePixels.ToString(), "-png", "-singlefile", "-f", page.ToString(), "-l", page.ToString(), Path.GetFullPath(pdfPath), image],
                    timeoutSource.Token);
                read[page] = (await ExternalTool.RunAsync(recogniser, [image + ".png", "stdout"], timeoutSource.Token, Tesseract)).Trim();
                File.Delete(image + ".png");
            }

            return read;
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
}
