using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Http.Metadata;

namespace Concordat.Api;

public sealed record EndpointDoc(string Method, string Path, string Summary, string? Description, bool NeedsToken);

/// <summary>
/// A plain, server-rendered reference to the API, built from the same endpoint metadata as the
/// OpenAPI document, so it cannot drift from what the code serves and it works without JavaScript.
/// </summary>
public sealed class DevelopersModel(IApiDescriptionGroupCollectionProvider descriptions) : PageModel
{
    public IReadOnlyList<IGrouping<string, EndpointDoc>> Groups { get; private set; } = [];

    public void OnGet()
    {
        Groups = descriptions.ApiDescriptionGroups.Items.SelectMany(g => g.Items)
            .Where(d => d.RelativePath?.StartsWith("api/") == true)
            .Select(d => new EndpointDoc(
                d.HttpMethod ?? "GET",
                Readable(d.RelativePath!),
                d.ActionDescriptor.EndpointMetadata.OfType<IEndpointSummaryMetadata>().FirstOrDefault()?.Summary ?? "",
                d.ActionDescriptor.EndpointMetadata.OfType<IEndpointDescriptionMetadata>().FirstOrDefault()?.Description,
                d.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any()))
            .GroupBy(e => e.Path.Split('/').ElementAtOrDefault(3) ?? "")
            .ToList();
    }

    /// <summary>"api/v1/agreements/{id:int}/" → "/api/v1/agreements/{id}": the route without its constraints.</summary>
    static string Readable(string relativePath) =>
        "/" + System.Text.RegularExpressions.Regex.Replace(relativePath, @"\{(\w+):[^}]+\}", "{$1}").TrimEnd('/');
}
