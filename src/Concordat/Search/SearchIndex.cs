using Concordat.Agreements;
using Concordat.Data;
using Lucene.Net.Analysis.En;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Microsoft.EntityFrameworkCore;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace Concordat.Search;

/// <summary>
/// This node's Lucene index: a projection of the database that can always be rebuilt from it. It applies
/// outbox entries in order and stores the last one applied in its own commit data, so after a crash or a
/// restart it carries on exactly where it was. The live index is the generation named in the folder's
/// "current" file; a rebuild writes a new generation beside it and swaps the pointer.
/// </summary>
public sealed class SearchIndex : IDisposable
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;
    const string SequenceKey = "outbox", SchemaKey = "schema";
    /// <summary>
    /// What shape the documents have. Raise it when AgreementSearchDocument changes what it indexes: a node finding an
    /// older shape starts a new generation and fills it from the outbox, which holds every agreement (it is not pruned).
    /// </summary>
    const string Schema = "2";
    const string Pointer = "current";
    const int Batch = 500;
    /// <summary>Agreements read from the database at once while indexing.</summary>
    const int LoadChunk = 100;

    readonly string _root;
    readonly SemaphoreSlim _applying = new(1, 1);
    readonly ILogger<SearchIndex> _logger;
    string _generation = "";
    LuceneDirectory? _directory;
    IndexWriter? _writer;
    SearcherManager? _searchers;

    public SearchIndex(string root, ILogger<SearchIndex> logger)
    {
        _root = Path.GetFullPath(root);
        _logger = logger;
        System.IO.Directory.CreateDirectory(_root);
        Open(ReadPointer() ?? WritePointer(NewGenerationName()));
    }

    /// <summary>The last outbox entry this index has applied and committed.</summary>
    public long AppliedSequence
    {
        get => Volatile.Read(ref _applied);
        private set => Volatile.Write(ref _applied, value);
    }

    long _applied;

    public string Folder => Path.Combine(_root, _generation);

    /// <summary>Applies every outbox entry after <see cref="AppliedSequence"/>, in order, committing as it goes. Returns how many.</summary>
    public async Task<int> ApplyPendingAsync(ConcordatDb db, CancellationToken ct)
    {
        await _applying.WaitAsync(ct);
        try
        {
            SwapIfRebuilt();
            var applied = 0;
            while (true)
            {
                var from = AppliedSequence;
                var entries = await db.SearchOutbox.AsNoTracking().Where(e => e.Id > from).OrderBy(e => e.Id).Take(Batch).ToListAsync(ct);
                if (entries.Count == 0) return applied;
                await ReindexAsync(_writer!, db, entries.Select(e => e.Reference).Distinct().ToList(), ct);
                Commit(_writer!, entries[^1].Id);
                var now = DateTimeOffset.UtcNow;
                foreach (var entry in entries) Measurements.OutboxLag.Record(Math.Max(0, (now - entry.At).TotalSeconds));
                // Searchers first, then the position: whoever waits for the position must find the change searchable.
                _searchers!.MaybeRefreshBlocking();
                AppliedSequence = entries[^1].Id;
                applied += entries.Count;
            }
        }
        finally
        {
            _applying.Release();
        }
    }

    /// <summary>
    /// Brings the index's documents for these references up to date (deleting those of agreements no longer there),
    /// reading the database a chunk of agreements at a time: a handful of queries per chunk rather than per agreement,
    /// with no more file text in memory at once than one chunk's.
    /// </summary>
    static async Task ReindexAsync(IndexWriter writer, ConcordatDb db, IReadOnlyList<string> references, CancellationToken ct)
    {
        foreach (var chunk in references.Chunk(LoadChunk))
        {
            var agreements = (await AgreementSearchDocument.LoadAsync(db, chunk, ct)).ToDictionary(a => a.Reference);
            var texts = await AgreementSearchDocument.TextsAsync(db, agreements.Values, ct);
            foreach (var reference in chunk)
            {
                var term = new Term(AgreementSearchDocument.Reference, reference);
                if (agreements.TryGetValue(reference, out var agreement)) writer.UpdateDocument(term, AgreementSearchDocument.Build(agreement, texts));
                else writer.DeleteDocuments(term);
            }
        }
    }

    static void Commit(IndexWriter writer, long sequence)
    {
        writer.SetCommitData(new Dictionary<string, string>
        {
            [SequenceKey] = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [SchemaKey] = Schema,
        });
        writer.Commit();
    }

    /// <summary>A searcher over the latest applied state; release it with <see cref="Release"/>.</summary>
    public IndexSearcher Acquire() => _searchers!.Acquire();

    public void Release(IndexSearcher searcher) => _searchers!.Release(searcher);

    /// <summary>
    /// Builds a whole new generation from the database while this one keeps answering, then points the
    /// folder at it. Entries written meanwhile are applied to the new generation too: it starts from the
    /// outbox position taken before it read anything, and applying an entry twice changes nothing.
    /// </summary>
    public static async Task<(string Generation, int Agreements)> RebuildAsync(string root, ConcordatDb db, CancellationToken ct)
    {
        var generation = NewGenerationName();
        var start = await db.SearchOutbox.MaxAsync(e => (long?)e.Id, ct) ?? 0;
        var count = 0;
        using (var directory = FSDirectory.Open(Path.Combine(Path.GetFullPath(root), generation)))
        using (var writer = NewWriter(directory, OpenMode.CREATE))
        {
            var references = await db.Agreements.AsNoTracking().OrderBy(a => a.Id).Select(a => a.Reference).ToListAsync(ct);
            await ReindexAsync(writer, db, references, ct);
            count = references.Count;
            Commit(writer, start);
        }
        await File.WriteAllTextAsync(Path.Combine(Path.GetFullPath(root), Pointer + ".tmp"), generation, ct);
        File.Move(Path.Combine(Path.GetFullPath(root), Pointer + ".tmp"), Path.Combine(Path.GetFullPath(root), Pointer), overwrite: true);
        return (generation, count);
    }

    /// <summary>A read-only view of the live generation for another process (the command line), with the outbox position it has applied.</summary>
    public static (DirectoryReader Reader, long AppliedSequence)? OpenReader(string root)
    {
        var pointer = Path.Combine(Path.GetFullPath(root), Pointer);
        if (!File.Exists(pointer)) return null;
        var directory = FSDirectory.Open(Path.Combine(Path.GetFullPath(root), File.ReadAllText(pointer).Trim()));
        if (!DirectoryReader.IndexExists(directory)) return null;
        var reader = DirectoryReader.Open(directory);
        var applied = reader.IndexCommit.UserData.TryGetValue(SequenceKey, out var value) && long.TryParse(value, out var sequence) ? sequence : 0;
        return (reader, applied);
    }

    /// <summary>A rebuild (perhaps by the command line, in another process) moved the pointer: open the new generation, drop the old.</summary>
    void SwapIfRebuilt()
    {
        var pointed = ReadPointer();
        if (pointed is null || pointed == _generation) return;
        var old = Folder;
        Close();
        Open(pointed);
        _logger.LogInformation("Search index swapped to generation {Generation}", pointed);
        try { System.IO.Directory.Delete(old, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    void Open(string generation)
    {
        _generation = generation;
        _directory = FSDirectory.Open(Folder);
        _writer = NewWriter(_directory, OpenMode.CREATE_OR_APPEND);
        var schema = _writer.CommitData.TryGetValue(SchemaKey, out var value) ? value : null;
        if (_writer.MaxDoc > 0 && schema != Schema)
        {
            _logger.LogWarning("Search index {Generation} has documents of an older shape: starting a new generation from the outbox", generation);
            var old = Folder;
            Close();
            Open(WritePointer(NewGenerationName()));
            try { System.IO.Directory.Delete(old, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return;
        }
        if (schema is null) Commit(_writer, 0); // a new generation gets its first commit, so readers can open it
        else _writer.Commit();
        _searchers = new SearcherManager(_writer, applyAllDeletes: true, searcherFactory: null);
        AppliedSequence = _writer.CommitData.TryGetValue(SequenceKey, out var applied) && long.TryParse(applied, out var sequence) ? sequence : 0;
    }

    static IndexWriter NewWriter(LuceneDirectory directory, OpenMode mode) =>
        new(directory, new IndexWriterConfig(Version, new EnglishAnalyzer(Version)) { OpenMode = mode });

    static string NewGenerationName() => $"index-{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Guid.NewGuid().ToString("N")[..6]}";

    string? ReadPointer()
    {
        var path = Path.Combine(_root, Pointer);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    string WritePointer(string generation)
    {
        File.WriteAllText(Path.Combine(_root, Pointer), generation);
        return generation;
    }

    void Close()
    {
        _searchers?.Dispose();
        _writer?.Dispose();
        _directory?.Dispose();
    }

    public void Dispose() => Close();
}
