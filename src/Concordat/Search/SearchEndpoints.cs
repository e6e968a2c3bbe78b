using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concordat.Search;

public static class SearchEndpoints
{
    public static RouteGroupBuilder MapSearchEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/search", SearchAsync).WithTags("Search").WithName("Search")
            .WithSummary("Search the agreements you may see, by their words and their record")
            .WithDescription("Query: q (words; \"phrases\"; OR; -exclude; prefix*), sort (relevance, newest, review, title), page, pageSize (1-100), and any of the facets, " +
                "each repeatable (values ORed; facets ANDed): status, agreementType, organisation (id), organisationType, borough (GSS code or pan-london), lawfulBasis, " +
                "sensitivity, dataSubject, theme, review (overdue, within-90-days, later, none), origin (template, legacy), year. " +
                "Snippets are HTML with the matching words in <mark>; the text in them is already escaped. Each facet's counts leave its own filter out.");
        return api;
    }

    static Task<Results<Ok<AgreementListDto>, ValidationProblem>> SearchAsync(HttpRequest http, IRegisterSearch search, Viewer viewer, CancellationToken ct) =>
        search.SearchAsync(http.Query, viewer, ct);
}

/// <summary>The register's search, for GET /api/v1/search and GET /api/v1/agreements with words or facets.</summary>
public sealed class RegisterSearch(AgreementSearch search, ConcordatDb db) : IRegisterSearch
{
    public bool IsSearch(IQueryCollection query) =>
        query.ContainsKey("q") || SearchFacets.All.Any(f => f != SearchFacets.Organisation && query.ContainsKey(f));

    public async Task<Results<Ok<AgreementListDto>, ValidationProblem>> SearchAsync(IQueryCollection query, Viewer viewer, CancellationToken ct)
    {
        var (request, errors) = SearchModel.Read(query["q"], query["page"], query["pageSize"], query["sort"], SearchModel.FiltersFrom(query), SearchModel.PageSize);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors.ToProblemErrors());
        var result = await search.SearchAsync(viewer, request, ct);
        var rows = await SearchRows.LoadAsync(db, viewer, result, ct);
        return TypedResults.Ok(new AgreementListDto(rows.Select(r => r.ToDto()).ToList(), result.Total, request.Page, request.PageSize, result.Facets));
    }
}
