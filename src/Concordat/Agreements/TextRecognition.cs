using Concordat.Data;
using Concordat.Documents;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

/// <summary>
/// Reads the scanned pages of uploaded PDFs by OCR, in the background: an upload is saved at once with "text being read"
/// (<see cref="TextSource.Pending"/>), and this queue reads one file at a time on each node, claiming it in the database
/// for a while so that no two nodes read the same file and a file a stopped node held is read again once its claim runs
/// out. The text is then saved for every version of that file, their agreements touched so the search index takes the
/// words in. After <see cref="MaxAttempts"/> failed tries a file keeps the text it had.
/// </summary>
public sealed class TextRecognition(IServiceScopeFactory scopes, IBlobStore blobs, TextExtractor extractor, TextRecognitionSignal signal,
    Microsoft.Extensions.Options.IOptions<DocumentOptions> options, TimeProvider clock, ILogger<TextRecognition> logger) : BackgroundService
{
    public const int MaxAttempts = 3;

    /// <summary>How long a claim holds: longer than reading a file can take (poppler's pass and OCR, each within the OCR time limit), and a margin.</summary>
    TimeSpan Claim => TimeSpan.FromSeconds(options.Value.OcrTimeoutSeconds * 2 + 120);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ReadNextAsync(stoppingToken)) continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Text recognition failed");
            }
            // Woken by an upload that left pages to read, or every half minute for claims that ran out.
            try { await signal.WaitAsync(TimeSpan.FromSeconds(30), stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Claims and reads one file with pages waiting; false when there is none.</summary>
    public async Task<bool> ReadNextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var waiting = await db.FileVersions.Where(v => v.TextSource == TextSource.Pending && (v.TextReadingClaimedUntil == null || v.TextReadingClaimedUntil < now))
            .OrderBy(v => v.Id).Select(v => new { v.Id, v.Sha256, v.TextReadingAttempts }).FirstOrDefaultAsync(ct);
        if (waiting is null) return false;
        // The claim is taken only if nobody took it meanwhile: one conditional update, atomic on every database.
        var claimed = await db.FileVersions.Where(v => v.Id == waiting.Id && v.TextSource == TextSource.Pending
                && (v.TextReadingClaimedUntil == null || v.TextReadingClaimedUntil < now))
            .ExecuteUpdateAsync(u => u.SetProperty(v => v.TextReadingClaimedUntil, now + Claim).SetProperty(v => v.TextReadingAttempts, v => v.TextReadingAttempts + 1), ct);
        if (claimed == 0) return true;
        // Tried enough, however the tries ended (a node stopped mid-read counts too), or OCR turned off since: it keeps its text.
        if (waiting.TextReadingAttempts >= MaxAttempts || !options.Value.OcrEnabled)
        {
            await SaveAsync(db, waiting.Sha256, null, ct);
            return true;
        }

        ExtractedText? text = null;
        try
        {
            text = await RecognizeAsync(waiting.Sha256, ct);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException or DocumentRejectedException)
        {
            logger.LogWarning(e, "Reading the scanned pages of {Sha256} failed (try {Attempt} of {Max})", waiting.Sha256, waiting.TextReadingAttempts + 1, MaxAttempts);
            if (waiting.TextReadingAttempts + 1 < MaxAttempts) return true; // tried again once the claim runs out
        }
        await SaveAsync(db, waiting.Sha256, text, ct);
        return true;
    }

    async Task<ExtractedText> RecognizeAsync(string sha256, CancellationToken ct)
    {
        // A copy on local disk: the programs read files, and the store may be elsewhere.
        var copy = Path.Combine(Directory.CreateTempSubdirectory("concordat-recognise-").FullName, "document.pdf");
        try
        {
            await using (var source = await blobs.OpenVerifiedAsync(sha256, ct))
            await using (var target = File.Create(copy))
                await source.CopyToAsync(target, ct);
            return await extractor.RecognizeAsync(copy, ct);
        }
        finally
        {
            try { Directory.Delete(Path.GetDirectoryName(copy)!, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>Saves what was read (or, after the last failed try, what the file had) for every waiting version of the same file.</summary>
    async Task SaveAsync(ConcordatDb db, string sha256, ExtractedText? text, CancellationToken ct)
    {
        var versions = await db.FileVersions.Include(v => v.File!).ThenInclude(f => f.Agreement)
            .Where(v => v.Sha256 == sha256 && v.TextSource == TextSource.Pending).ToListAsync(ct);
        var stored = await db.FileTexts.SingleOrDefaultAsync(t => t.Sha256 == sha256, ct);
        if (text is { HasText: true })
        {
            if (stored is null) db.FileTexts.Add(new FileText { Sha256 = sha256, Text = text.Text });
            else stored.Text = text.Text;
        }
        var now = clock.GetUtcNow();
        foreach (var version in versions)
        {
            version.TextSource = text?.Source ?? (stored is null ? TextSource.None : TextSource.TextLayer);
            version.HasText = text?.HasText ?? stored is not null;
            version.TextReadingClaimedUntil = null;
            // Its words are now part of the agreement's search document.
            version.File!.Agreement!.UpdatedAt = now;
        }
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Read the scanned pages of {Sha256} for {Count} file versions: {Source}", sha256, versions.Count, text?.Source);
    }
}

/// <summary>Wakes the recognition queue when an upload leaves scanned pages to read.</summary>
public sealed class TextRecognitionSignal : WakeSignal;
