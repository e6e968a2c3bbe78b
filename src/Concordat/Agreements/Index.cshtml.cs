using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc;

namespace Concordat.Agreements;

public sealed class RegisterModel(ConcordatDb db, Viewer viewer, TimeProvider clock) : FormPage
{
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    [FromQuery(Name = "page")] public string? PageParam { get; set; }
    [FromQuery(Name = "sort")] public string? Sort { get; set; }

    public RegisterPage Result { get; private set; } = null!;
    public string SortKey { get; private set; } = "title";
    public bool Descending { get; private set; }
    public bool CanEdit => AgreementAccess.MayCreate(viewer);
    public Pagination Pagination => new(Result.Page, Result.PageCount, p => Href(p, Sort));

    public string SortLabel => SortKey switch
    {
        "lead" => "lead organisation", "status" => "status", "review" => "review date", "newest" => "newest first", _ => "title",
    } + (Descending ? ", descending" : "");

    public async Task OnGetAsync(CancellationToken ct)
    {
        var request = RegisterRequest.Parse(PageParam, null, Sort, Errors);
        SortKey = request.Sort.ToString().ToLowerInvariant();
        Descending = request.Descending;
        Result = await RegisterQuery.RunAsync(db, viewer, request, ct);
        if (Result.Page > Result.PageCount && Result.Total > 0)
            Errors.Add("page", $"There are only {Result.PageCount} pages of results");
    }

    /// <summary>A column heading's link: sorts by it, or reverses the order when it is the current sort.</summary>
    public string SortHref(string key) => Href(1, SortKey == key && !Descending ? "-" + key : key);

    static string Href(int page, string? sort) =>
        "/agreements" + QueryString.Create(new Dictionary<string, string?> { ["sort"] = sort, ["page"] = page > 1 ? page.ToString() : null }
            .Where(kv => kv.Value is not null));
}
