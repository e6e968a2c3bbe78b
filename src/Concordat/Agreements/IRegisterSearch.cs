using Concordat.Organisations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concordat.Agreements;

/// <summary>
/// The register's search by words and facets. Search sits above the register and provides it; the
/// register's list endpoint hands a search to it through this seam, so it never depends on search.
/// </summary>
public interface IRegisterSearch
{
    /// <summary>Whether a query string asks for a search (words, or a facet other than organisation) rather than the plain list.</summary>
    bool IsSearch(IQueryCollection query);

    Task<Results<Ok<AgreementListDto>, ValidationProblem>> SearchAsync(IQueryCollection query, Viewer viewer, CancellationToken ct);
}
