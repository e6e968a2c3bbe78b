using Concordat.Data;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Concordat.Search;

/// <summary>Keeps this node's index up with the outbox: at start, whenever a save raises the signal, and every few seconds (other nodes' saves).</summary>
sealed class SearchIndexer(SearchIndex index, SearchSignal signal, IServiceScopeFactory scopes, ILogger<SearchIndexer> logger) : BackgroundService
{
    static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var applied = await index.ApplyPendingAsync(scope.ServiceProvider.GetRequiredService<ConcordatDb>(), stoppingToken);
                if (applied > 0) logger.LogDebug("Search index applied {Count} outbox entries, up to {Sequence}", applied, index.AppliedSequence);
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
        services.AddHostedService<SearchIndexer>();
        services.AddScoped<AgreementSearch>();
        services.AddSingleton<Agreements.ITextHighlighter, TextHighlighter>();
        services.AddScoped<Agreements.IRegisterSearch, RegisterSearch>();
        return services;
    }

    public static string IndexFolder(IConfiguration configuration) => configuration["Concordat:Search:IndexFolder"] ?? "data/search";
}
