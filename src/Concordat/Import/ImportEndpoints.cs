namespace Concordat.Import;

public static class ImportEndpoints
{
    /// <summary>The manifest template: every column, one example row. Anyone may read it; importing needs an editor.</summary>
    public static void MapImport(this IEndpointRouteBuilder app) =>
        app.MapGet("/import/manifest-template.csv", () => TypedResults.File(
            [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(ManifestColumns.Template())],
            "text/csv; charset=utf-8", "concordat-import-manifest.csv"));
}
