using Concordat.Agreements;
using Concordat.Data;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Search;

/// <summary>Compares the index with the database, agreement by agreement, and names every difference.</summary>
public static class SearchVerification
{
    public static async Task<IReadOnlyList<string>> DifferencesAsync(SearchIndex index, ConcordatDb db, CancellationToken ct)
    {
        var searcher = index.Acquire();
        try
        {
            return await DifferencesAsync(searcher.IndexReader, db, ct);
        }
        finally
        {
            index.Release(searcher);
        }
    }

    /// <summary>The same over any reader of the index, such as the command line's read-only one.</summary>
    public static async Task<IReadOnlyList<string>> DifferencesAsync(Lucene.Net.Index.IndexReader indexReader, ConcordatDb db, CancellationToken ct)
    {
        var inIndex = new Dictionary<string, long>();
        {
            foreach (var leaf in indexReader.Leaves)
            {
                var reader = leaf.AtomicReader;
                var live = reader.LiveDocs;
                for (var i = 0; i < reader.MaxDoc; i++)
                {
                    if (live is not null && !live.Get(i)) continue;
                    var doc = reader.Document(i);
                    inIndex[doc.Get(AgreementSearchDocument.Reference)] = doc.GetField(AgreementSearchDocument.Updated).GetInt64Value() ?? 0;
                }
            }
        }

        var differences = new List<string>();
        var inDatabase = await db.Agreements.AsNoTracking().Select(a => new { a.Reference, a.UpdatedAt }).ToListAsync(ct);
        foreach (var a in inDatabase)
        {
            if (!inIndex.Remove(a.Reference, out var updated)) differences.Add($"{a.Reference} is in the database but not in the index");
            else if (updated != a.UpdatedAt.UtcTicks) differences.Add($"{a.Reference} changed at {a.UpdatedAt:O} but the index holds an older version");
        }
        differences.AddRange(inIndex.Keys.Order().Select(r => $"{r} is in the index but not in the database"));
        return differences;
    }
}
