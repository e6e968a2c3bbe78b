using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Search;

/// <summary>The search page: words, phrases, OR, -exclusions and prefix*, facets, four sorts; all of it in the URL.</summary>
public sealed class SearchModel(AgreementSearch search, ConcordatDb db, Viewer viewer, TimeProvider clock) : FormPage
{
    public const int PageSize = 20;

    [FromQuery(Name = "q")] public string? Q { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }
    [FromQuery(Name = "page")] public string? PageParam { get; set; }

    public SearchResult Result { get; private set; } = null!;
    public IReadOnlyList<SearchRow> Rows { get; private set; } = [];
    public int CurrentPage { get; private set; } = 1;
    public SearchSort SortOrder { get; private set; }
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
    public Pagination Pagination => new(CurrentPage, Math.Max(1, (Result.Total + PageSize - 1) / PageSize), p => Href(page: p));

    /// <summary>The chosen values of each facet, as they came in the address.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Filters { get; private set; } = new Dictionary<string, IReadOnlyList<string>>();
    public IReadOnlyDictionary<int, string> OrganisationNames { get; private set; } = new Dictionary<int, string>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var (request, errors) = Read(Q, PageParam, PageSize.ToString(), Sort, FiltersFrom(Request.Query), PageSize);
        Filters = request.Filters!;
        OrganisationNames = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(
            db.Organisations, o => o.Id, o => o.Name, ct);
        foreach (var (field, messages) in errors)
            foreach (var message in messages) Errors.Add(field, message);
        (CurrentPage, SortOrder) = (request.Page, request.Sort);
        Result = await search.SearchAsync(viewer, request, ct);
        Rows = await SearchRows.LoadAsync(db, viewer, Result, ct);
    }

    /// <summary>Reads a search from query-string values, naming what is wrong (and searching with the rest).</summary>
    /// <summary>Every facet's values from a query string (status=active&amp;status=expired&amp;organisation=12 ...).</summary>
    public static Dictionary<string, IReadOnlyList<string>> FiltersFrom(IQueryCollection query) =>
        SearchFacets.All.ToDictionary(f => f, f => (IReadOnlyList<string>)query[f].Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!.Trim()).Distinct().ToList());

    public static (SearchRequest Request, FieldErrors Errors) Read(string? q, string? page, string? pageSize, string? sort,
        IReadOnlyDictionary<string, IReadOnlyList<string>> filters, int maxPageSize)
    {
        var errors = new FieldErrors();
        var p = 1;
        if (!string.IsNullOrWhiteSpace(page) && (!int.TryParse(page, out p) || p < 1 || p > 10_000))
        {
            errors.Add("page", "page must be a whole number from 1");
            p = 1;
        }
        var size = maxPageSize;
        if (!string.IsNullOrWhiteSpace(pageSize) && (!int.TryParse(pageSize, out size) || size < 1 || size > 100))
        {
            errors.Add("pageSize", "pageSize must be a whole number from 1 to 100");
            size = maxPageSize;
        }
        var order = SearchSort.Relevance;
        if (!string.IsNullOrWhiteSpace(sort) && !Enum.TryParse(sort, ignoreCase: true, out order))
            errors.Add("sort", "sort must be one of relevance, newest, review, title");
        var valid = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var (facet, values) in filters)
        {
            valid[facet] = values.Where(v => SearchFacets.IsValid(facet, v)).ToList();
            foreach (var unknown in values.Except(valid[facet]))
                errors.Add(facet, $"'{unknown}' is not a value of {facet}");
        }
        return (new SearchRequest(q?.Length > 500 ? q[..500] : q, p, size, order, valid), errors);
    }

    /// <summary>The download of everything this search finds (the same words and facets; no page or sort).</summary>
    public string ExportHref(string format) =>
        $"/export/agreements.{format}" + QueryString.Create(new[] { new KeyValuePair<string, string?>("q", Q) }
            .Concat(Filters.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string?>(f.Key, v))))
            .Where(kv => !string.IsNullOrEmpty(kv.Value)));

    /// <summary>This search's address with another page, or without one facet's filter (<paramref name="without"/>).</summary>
    public string Href(int? page = null, string? without = null) =>
        "/search" + QueryString.Create(new[] { new KeyValuePair<string, string?>("q", Q) }
            .Concat(Filters.Where(f => f.Key != without).SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string?>(f.Key, v))))
            .Append(new("sort", Sort))
            .Append(new("page", page is > 1 ? page.ToString() : null))
            .Where(kv => !string.IsNullOrEmpty(kv.Value)));
}
