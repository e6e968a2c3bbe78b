using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Concordat.Documents;

/// <summary>
/// Recognises text in scanned PDFs by rendering pages with poppler's <c>pdftoppm</c> and reading them
/// with <c>tesseract</c>. Both are external programs found on PATH; nothing is downloaded at run time.
/// </summary>
public static class PdfOcr
{
    private const string Renderer = "pdftoppm";
    private const string Recogniser = "tesseract";

    /// <summary>True when both programs are installed. Checked each call so installing them needs no restart.</summary>
    public static bool IsAvailable() => FindOnPath(Renderer) is not null && FindOnPath(Recogniser) is not null;

    /// <summary>
    /// Renders up to <paramref name="maxPages"/> pages at 200 dpi and returns their text, pages separated by
    /// blank lines. Throws <see cref="TimeoutException"/> after <paramref name="timeout"/> and
    /// <see cref="InvalidOperationException"/> if a tool is missing or fails.
    /// </summary>
    public static async Task<string> RecognizeAsync(string pdfPath, int maxPages, TimeSpan timeout, CancellationToken cancellationToken = default,
        string? workRoot = null)
    {
        var renderer = FindOnPath(Renderer) ?? throw new InvalidOperationException($"{Renderer} is not installed.");
        var recogniser = FindOnPath(Recogniser) ?? throw new InvalidOperationException($"{Recogniser} is not installed.");

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var workDir = workRoot is null
            ? Directory.CreateTempSubdirectory("concordat-ocr-").FullName
            : Directory.CreateDirectory(Path.Combine(workRoot, "concordat-ocr-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            await RunAsync(renderer,
                ["-r", "200", "-png", "-f", "1", "-l", Math.Max(1, maxPages).ToString(), Path.GetFullPath(pdfPath), Path.Combine(workDir, "page")],
                timeoutSource.Token);

            var pages = new List<string>();
            foreach (var image in PageImagesInOrder(workDir))
            {
                var text = await RunAsync(recogniser, [image, "stdout"], timeoutSource.Token);
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

    private static async Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        // ArgumentList passes each argument verbatim: no shell, no quoting bugs.
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Tesseract's OpenMP threads fight each other on small machines; one thread per page is faster.
        startInfo.Environment["OMP_THREAD_LIMIT"] = "1";

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"Could not start {program}.", e);
        }

        // Drain both pipes concurrently so a chatty tool cannot block on a full buffer.
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already exited.
            }

            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
        }

        return await stdout;
    }

    private static string? FindOnPath(string name)
    {
        var candidates = OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : [name];
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var candidate in candidates)
            {
                var full = Path.Combine(dir, candidate);
                if (File.Exists(full) &&
                    (OperatingSystem.IsWindows() || (File.GetUnixFileMode(full) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0))
                {
                    return full;
                }
            }
        }

        return null;
    }
}
