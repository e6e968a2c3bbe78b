using Concordat.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Concordat.Search;

/// <summary>
/// Keeps this node's index up with the outbox: at start, whenever a save raises the signal, and every few seconds (other
/// nodes' saves). Once an hour one node also compacts the outbox to the newest entry per agreement.
/// </summary>
sealed class SearchIndexer(SearchIndex index, SearchSignal signal, IServiceScopeFactory scopes, NodeName node, TimeProvider clock, ILogger<SearchIndexer> logger)
    : BackgroundService
{
    static readonly TimeSpan Poll = TimeSpan.FromSeconds(5), CompactEvery = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var compacted = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<ConcordatDb>();
                var applied = await index.ApplyPendingAsync(db, stoppingToken);
                if (applied > 0) logger.LogDebug("Search index applied {Count} outbox entries, up to {Sequence}", applied, index.AppliedSequence);
                // Every node applies the outbox to its own index; compacting it is done by one node an hour.
                if (DateTime.UtcNow - compacted > CompactEvery)
                {
                    compacted = DateTime.UtcNow;
                    var deleted = !await Leases.TryTakeAsync(db, "search-outbox-compaction", node, CompactEvery, clock, stoppingToken) ? 0
                        : await db.CompactSearchOutboxAsync(stoppingToken);
                    if (deleted > 0) logger.LogInformation("Search outbox compacted: {Count} overtaken entries deleted", deleted);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The next pass tries again from the last committed position; nothing is lost.
                logger.LogError(e, "Search indexing failed; retrying");
            }
            try { await signal.WaitAsync(Poll, stoppingToken); } catch (OperationCanceledException) { return; }
        }
    }
}

public static class SearchSetup
{
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        var folder = IndexFolder(configuration);
        services.AddSingleton<SearchSignal>();
        services.AddSingleton(sp => new SearchIndex(folder, sp.GetRequiredService<ILogger<SearchIndex>>()));
        services.AddSingleton<IInterceptor, SearchOutboxInterceptor>();
        services.AddSingleton<IInterceptor, SearchCommitSignal>();
        services.AddHostedService<SearchIndexer>();
        services.AddScoped<AgreementSearch>();
        services.AddSingleton<Agreements.ITextHighlighter, TextHighlighter>();
        services.AddScoped<Agreements.IRegisterSearch, RegisterSearch>();
        return services;
    }

    public static string IndexFolder(IConfiguration configuration) => configuration["Concordat:Search:IndexFolder"] ?? "data/search";
}
