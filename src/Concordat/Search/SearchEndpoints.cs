using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concordat.Search;

public sealed record SearchItemDto(int Id, string Reference, string Title, AgreementStatus Status, string LeadOrganisation, DateOnly? ReviewDate,
    Visibility Visibility, bool Published, string? Snippet, string Url);

public sealed record SearchListDto(IReadOnlyList<SearchItemDto> Items, int Total, int Page, int PageSize, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Facets);

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

    static async Task<Results<Ok<SearchListDto>, ValidationProblem>> SearchAsync(HttpRequest http, AgreementSearch search, ConcordatDb db, Viewer viewer, CancellationToken ct)
    {
        var query = http.Query;
        var (request, errors) = SearchModel.Read(query["q"], query["page"], query["pageSize"], query["sort"], SearchModel.FiltersFrom(query), SearchModel.PageSize);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors.ToProblemErrors());
        var result = await search.SearchAsync(viewer, request, ct);
        var rows = await SearchRows.LoadAsync(db, viewer, result, ct);
        return TypedResults.Ok(new SearchListDto(
            rows.Select(r => new SearchItemDto(r.Id, r.Reference, r.Title, r.Status, r.LeadOrganisation, r.ReviewDate, r.Visibility, r.Published, r.Snippet, $"/api/v1/agreements/{r.Id}")).ToList(),
            result.Total, request.Page, request.PageSize,
            result.Facets));
    }
}
