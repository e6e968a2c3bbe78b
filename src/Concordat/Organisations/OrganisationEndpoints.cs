using Concordat.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Organisations;

public sealed record OrganisationDto(int Id, string Name, string? ShortName, OrganisationType Type, string? GssCode, string? OdsCode, string? IcoNumber);
public sealed record OrganisationListDto(IReadOnlyList<OrganisationDto> Items, int Total);

public static class OrganisationEndpoints
{
    public static RouteGroupBuilder MapOrganisationEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organisations").WithTags("Organisations");
        group.MapGet("/", async (ConcordatDb db, CancellationToken ct) =>
        {
            var items = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => ToDto(o)).ToListAsync(ct);
            return TypedResults.Ok(new OrganisationListDto(items, items.Count));
        }).WithName("ListOrganisations").WithSummary("The registry of organisations");
        group.MapGet("/{id:int}", async Task<Results<Ok<OrganisationDto>, ProblemHttpResult>> (int id, ConcordatDb db, CancellationToken ct) =>
        {
            var org = await db.Organisations.AsNoTracking().SingleOrDefaultAsync(o => o.Id == id, ct);
            return org is null
                ? TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"There is no organisation {id}.")
                : TypedResults.Ok(ToDto(org));
        }).WithName("GetOrganisation").WithSummary("One organisation of the registry");
        return api;
    }

    static OrganisationDto ToDto(Organisation o) => new(o.Id, o.Name, o.ShortName, o.Type, o.GssCode, o.OdsCode, o.IcoNumber);
}
