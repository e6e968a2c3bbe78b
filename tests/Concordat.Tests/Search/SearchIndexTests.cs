using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Concordat.Agreements;
using Concordat.Cli;
using Concordat.Data;
using Concordat.Search;
using Concordat.Tests.Support;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Concordat.Tests.Search;

/// <summary>The search index is a projection of the database that never drifts from it.</summary>
public sealed class SearchIndexTests(ConcordatFactory app) : IClassFixture<ConcordatFactory>
{
    async Task<T> InDatabaseAsync<T>(Func<ConcordatDb, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<ConcordatDb>());
    }

    Task<List<string>> OutboxAsync() => InDatabaseAsync(db => db.SearchOutbox.OrderBy(e => e.Id).Select(e => e.Reference).ToListAsync());

    /// <summary>Waits, boundedly, until the app's index has applied everything in the outbox.</summary>
    async Task<SearchIndex> CaughtUpAsync()
    {
        var index = app.Services.GetRequiredService<SearchIndex>();
        var last = await InDatabaseAsync(db => db.SearchOutbox.MaxAsync(e => (long?)e.Id)) ?? 0;
        for (var i = 0; i < 200 && index.AppliedSequence < last; i++) await Task.Delay(50);
        Assert.True(index.AppliedSequence >= last, $"the index applied {index.AppliedSequence} of {last} outbox entries");
        return index;
    }

    static (int Hits, string[] Labels) Find(SearchIndex index, string field, string word)
    {
        var searcher = index.Acquire();
        try
        {
            var top = searcher.Search(new TermQuery(new Term(field, word)), 10);
            var labels = top.ScoreDocs.SelectMany(d => searcher.Doc(d.Doc).GetValues(AgreementSearchDocument.Label)).Order().ToArray();
            return (top.TotalHits, labels);
        }
        finally
        {
            index.Release(searcher);
        }
    }

    async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await CommandLine.RunAsync(app.Services, args, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task Every_change_to_an_agreement_writes_an_outbox_entry_and_a_refused_change_writes_none()
    {
        var api = await app.AdminApiAsync();
        var record = await app.CompleteRecordAsync("Outbox: fire safety referrals");
        var created = await app.CreateAgreementAsync(api, record);
        var id = created["id"]!.GetValue<int>();
        var reference = created["reference"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.Created, (await ConcordatFactory.UploadAsync(api, id, Encoding.UTF8.GetBytes("The agreement's words."), "a.txt")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/agreements/{id}/publish", null)).StatusCode);
        Assert.Equal(3, (await OutboxAsync()).Count(r => r == reference)); // created, uploaded, published
        var changed = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(record))!.AsObject();
        changed["purpose"] = "A purpose put better.";
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/v1/agreements/{id}", changed)).StatusCode);
        Assert.Equal(4, (await OutboxAsync()).Count(r => r == reference));

        var before = (await OutboxAsync()).Count;
        var bad = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(record))!.AsObject();
        bad["reviewDate"] = "not a date";
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PutAsJsonAsync($"/api/v1/agreements/{id}", bad)).StatusCode);
        Assert.Equal(before, (await OutboxAsync()).Count);
    }

    [Fact]
    public async Task The_index_catches_up_with_each_agreement_its_words_and_who_may_find_it()
    {
        var api = await app.AdminApiAsync();
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(await app.CompleteRecordAsync("Quokka sightings register")))!.AsObject();
        body["visibility"] = "parties-only";
        var created = await app.CreateAgreementAsync(api, body);
        var id = created["id"]!.GetValue<int>();
        await ConcordatFactory.UploadAsync(api, id, Encoding.UTF8.GetBytes("Partners record every wombat they see."), "wombats.txt");

        var draft = Find(await CaughtUpAsync(), AgreementSearchDocument.Title, "quokka");
        var lfb = await app.OrganisationIdAsync("London Fire Brigade");
        Assert.Equal(1, draft.Hits);
        Assert.Equal([$"draft-{lfb}"], draft.Labels);
        Assert.Equal(1, Find(await CaughtUpAsync(), AgreementSearchDocument.Text, "wombat").Hits); // "wombat" from "wombats": English stemming

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/agreements/{id}/publish", null)).StatusCode);
        var camden = await app.OrganisationIdAsync("London Borough of Camden");
        var published = Find(await CaughtUpAsync(), AgreementSearchDocument.Title, "quokka");
        Assert.Equal(new[] { $"party-{camden}", $"party-{lfb}" }.Order().ToArray(), published.Labels);
    }

    [Fact]
    public async Task After_a_crash_between_the_save_and_the_indexing_the_index_resumes_where_its_last_commit_left_off()
    {
        var folder = Path.Combine(app.Root, "resume-index");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        var api = await app.AdminApiAsync();
        await app.CreateAgreementAsync(api, new { title = "Before the crash", leadOrganisationId = await app.OrganisationIdAsync("Shelter") });

        long committed;
        using (var first = new SearchIndex(folder, NullLogger<SearchIndex>.Instance))
        {
            await first.ApplyPendingAsync(db, CancellationToken.None);
            committed = first.AppliedSequence;
            Assert.True(committed > 0);
        }
        // Saved and committed to the database, then the process "dies" before this index applies it.
        await app.CreateAgreementAsync(api, new { title = "Saved before the crash", leadOrganisationId = await app.OrganisationIdAsync("Shelter") });

        using var restarted = new SearchIndex(folder, NullLogger<SearchIndex>.Instance);
        Assert.Equal(committed, restarted.AppliedSequence);
        Assert.Equal(1, await restarted.ApplyPendingAsync(db, CancellationToken.None));
        Assert.Equal(1, Find(restarted, AgreementSearchDocument.Reference, (await db.Agreements.SingleAsync(a => a.Title == "Saved before the crash")).Reference).Hits);
        Assert.Equal(0, await restarted.ApplyPendingAsync(db, CancellationToken.None));
    }

    [Fact]
    public async Task An_index_of_an_older_shape_is_replaced_by_a_new_generation_filled_from_the_outbox()
    {
        var folder = Path.Combine(app.Root, "old-shape-index");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
        await app.CreateAgreementAsync(await app.AdminApiAsync(), new { title = "Indexed again after an upgrade", leadOrganisationId = await app.OrganisationIdAsync("Shelter") });
        // An index written before documents had their current shape: no schema in its commit data.
        Directory.CreateDirectory(Path.Combine(folder, "index-old"));
        await File.WriteAllTextAsync(Path.Combine(folder, "current"), "index-old");
        using (var directory = Lucene.Net.Store.FSDirectory.Open(Path.Combine(folder, "index-old")))
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(SearchIndex.Version, new Lucene.Net.Analysis.Core.KeywordAnalyzer())))
        {
            writer.AddDocument([new Lucene.Net.Documents.StringField(AgreementSearchDocument.Reference, "OLD-1", Lucene.Net.Documents.Field.Store.YES)]);
            writer.SetCommitData(new Dictionary<string, string> { ["outbox"] = "999999" });
            writer.Commit();
        }

        using var upgraded = new SearchIndex(folder, NullLogger<SearchIndex>.Instance);
        Assert.Equal(0, upgraded.AppliedSequence);
        Assert.False(Directory.Exists(Path.Combine(folder, "index-old")));
        Assert.Equal(0, Find(upgraded, AgreementSearchDocument.Reference, "OLD-1").Hits);
        await upgraded.ApplyPendingAsync(db, CancellationToken.None);
        var reference = (await db.Agreements.SingleAsync(a => a.Title == "Indexed again after an upgrade")).Reference;
        Assert.Equal(1, Find(upgraded, AgreementSearchDocument.Reference, reference).Hits);
    }

    [Fact]
    public async Task Compacting_the_outbox_keeps_one_entry_per_agreement_and_an_index_built_from_it_misses_nothing()
    {
        var api = await app.AdminApiAsync();
        var lead = await app.OrganisationIdAsync("Shelter");
        var created = await app.CreateAgreementAsync(api, new { title = "Edited three times", leadOrganisationId = lead });
        var id = created["id"]!.GetValue<int>();
        var reference = created["reference"]!.GetValue<string>();
        foreach (var title in new[] { "Edited once", "Edited twice", "Edited wallaby" })
        {
            var edit = await api.PutAsJsonAsync($"/api/v1/agreements/{id}", new { title, leadOrganisationId = lead });
            Assert.True(edit.IsSuccessStatusCode, await edit.Content.ReadAsStringAsync());
        }
        Assert.True((await OutboxAsync()).Count(r => r == reference) >= 4);

        var deleted = await InDatabaseAsync(db => db.CompactSearchOutboxAsync(CancellationToken.None));
        var outbox = await OutboxAsync();
        Assert.True(deleted >= 3);
        Assert.Equal(outbox.Distinct().Count(), outbox.Count);

        // A node starting from nothing (a new generation) finds the agreement as it is now, from the one entry left.
        await using var scope = app.Services.CreateAsyncScope();
        using var fresh = new SearchIndex(Path.Combine(app.Root, "after-compaction"), NullLogger<SearchIndex>.Instance);
        await fresh.ApplyPendingAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), CancellationToken.None);
        Assert.Equal(1, Find(fresh, AgreementSearchDocument.Title, "wallabi").Hits);
        Assert.Equal(0, Find(fresh, AgreementSearchDocument.Title, "twice").Hits);
        var searcher = fresh.Acquire();
        try { Assert.Equal(await InDatabaseAsync(db => db.Agreements.CountAsync()), searcher.IndexReader.NumDocs); }
        finally { fresh.Release(searcher); }
    }

    [Fact]
    public async Task Search_verify_names_a_change_the_index_missed_and_reindex_puts_it_right()
    {
        var api = await app.AdminApiAsync();
        var created = await app.CreateAgreementAsync(api, new { title = "Verify me", leadOrganisationId = await app.OrganisationIdAsync("Shelter") });
        await CaughtUpAsync();
        Assert.Equal(0, (await RunAsync("search", "verify")).Exit);

        // A change made behind the application's back (no outbox entry): the index cannot know.
        var id = created["id"]!.GetValue<int>();
        await InDatabaseAsync(db => db.Agreements.Where(a => a.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Title, "Changed behind its back").SetProperty(a => a.UpdatedAt, new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))));
        var (exit, _, errors) = await RunAsync("search", "verify");
        Assert.Equal(1, exit);
        Assert.Contains($"{created["reference"]} changed at", errors);

        var rebuilt = await RunAsync("reindex");
        Assert.Equal(0, rebuilt.Exit);
        Assert.Matches(@"Indexed \d+ agreements into index-", rebuilt.Output);
        Assert.Equal(0, (await RunAsync("search", "verify")).Exit);

        // The running app swaps to the rebuilt generation at its next pass and keeps up from there.
        app.Services.GetRequiredService<SearchSignal>().Raise();
        await app.CreateAgreementAsync(api, new { title = "After the rebuild", leadOrganisationId = await app.OrganisationIdAsync("Shelter") });
        var index = await CaughtUpAsync();
        Assert.Equal(1, Find(index, AgreementSearchDocument.Title, "rebuild").Hits);
        Assert.Equal(0, (await RunAsync("search", "verify")).Exit);
    }
}
