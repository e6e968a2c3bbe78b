using System.Text;
using System.Text.Json;
using Concordat.Agreements;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Search;
using Microsoft.Extensions.Options;

namespace Concordat.OpenData;

/// <summary>
/// The register as a file: CSV, JSON or JSON Lines, holding exactly what the same search finds for the person asking
/// (no words and no facets: everything they may see). Rows are read in batches and written as they are read, so an
/// export of 100,000 agreements holds one batch in memory, not the file.
/// </summary>
public static class RegisterExport
{
    public const int Batch = 500;
    static readonly string[] Formats = ["csv", "json", "jsonl"];

    /// <summary>The same export for pages (signed in by cookie) and for the API (by token): each sees what they may.</summary>
    public static void MapRegisterExport(this IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        const string description = "Query: q and the facets, exactly as GET /api/v1/search (page, pageSize and sort are not used: the file holds every match, " +
            "in reference order). CSV is UTF-8 with a byte-order mark, RFC 4180, one row per agreement, several values in a cell separated by '; ', and any " +
            "cell that a spreadsheet would read as a formula starts with an apostrophe. JSON is {\"items\": [...], \"total\": n}; JSON Lines is one agreement per line.";
        app.MapGet("/export/agreements.{format}", ExportAsync).ExcludeFromDescription();
        api.MapGet("/export/agreements.{format}", ExportAsync).WithTags("Open data").WithName("ExportAgreements")
            .WithSummary("Download the agreements a search finds as csv, json or jsonl").WithDescription(description);
    }

    static async Task<IResult> ExportAsync(string format, HttpRequest http, AgreementSearch search, ConcordatDb db, Viewer viewer,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, PublicSite publicSite, TimeProvider clock, CancellationToken ct)
    {
        format = format.ToLowerInvariant();
        if (!Formats.Contains(format))
            return TypedResults.Problem(statusCode: 404, title: "No such export format", detail: "Exports come as agreements.csv, agreements.json or agreements.jsonl.");
        var (request, errors) = SearchModel.Read(http.Query["q"], null, null, null, SearchModel.FiltersFrom(http.Query), SearchModel.PageSize);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors.ToProblemErrors());

        var ids = await search.MatchingIdsAsync(viewer, request, ct);
        var site = publicSite.BaseUrl;
        var fileName = $"concordat-register-{clock.GetUtcNow():yyyy-MM-dd}.{format}";
        var options = json.Value.SerializerOptions;
        return format switch
        {
            "csv" => TypedResults.Stream(body => WriteCsvAsync(body, db, viewer, ids, site, ct), "text/csv; charset=utf-8", fileName),
            "json" => TypedResults.Stream(body => WriteJsonAsync(body, db, viewer, ids, options, ct), "application/json; charset=utf-8", fileName),
            _ => TypedResults.Stream(body => WriteJsonLinesAsync(body, db, viewer, ids, options, ct), "application/jsonl; charset=utf-8", fileName),
        };
    }

    /// <summary>The agreements in batches, each read through AgreementAccess again (the index chose them; the database decides).</summary>
    static async IAsyncEnumerable<Agreement> ReadAsync(ConcordatDb db, Viewer viewer, List<int> ids, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var batch in ids.Chunk(Batch))
            foreach (var agreement in await RegisterQuery.LoadVisibleAsync(db, viewer, batch, ct))
                yield return agreement;
    }

    static async Task WriteCsvAsync(Stream body, ConcordatDb db, Viewer viewer, List<int> ids, string site, CancellationToken ct)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(',', RegisterColumns.All.Select(c => c.Name)));
        var written = 0;
        await foreach (var agreement in ReadAsync(db, viewer, ids, ct))
        {
            await writer.WriteLineAsync(string.Join(',', RegisterColumns.All.Select(c => Csv.Cell(c.Value(agreement, site)))));
            if (++written % Batch == 0) await writer.FlushAsync(ct);
        }
    }

    static async Task WriteJsonAsync(Stream body, ConcordatDb db, Viewer viewer, List<int> ids, JsonSerializerOptions options, CancellationToken ct)
    {
        // The writer fills a buffer (JsonSerializer flushes synchronously, which a response body refuses); each batch is then sent.
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        await using var writer = new Utf8JsonWriter(buffer);
        async Task SendAsync()
        {
            writer.Flush();
            await body.WriteAsync(buffer.WrittenMemory, ct);
            buffer.ResetWrittenCount();
        }
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        var written = 0;
        await foreach (var agreement in ReadAsync(db, viewer, ids, ct))
        {
            JsonSerializer.Serialize(writer, AgreementDto.From(agreement), options);
            if (++written % Batch == 0) await SendAsync();
        }
        writer.WriteEndArray();
        writer.WriteNumber("total", written);
        writer.WriteEndObject();
        await SendAsync();
    }

    static async Task WriteJsonLinesAsync(Stream body, ConcordatDb db, Viewer viewer, List<int> ids, JsonSerializerOptions options, CancellationToken ct)
    {
        var newline = new byte[] { (byte)'\n' };
        var written = 0;
        await foreach (var agreement in ReadAsync(db, viewer, ids, ct))
        {
            await body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(AgreementDto.From(agreement), options), ct);
            await body.WriteAsync(newline, ct);
            if (++written % Batch == 0) await body.FlushAsync(ct);
        }
    }
}

/// <summary>RFC 4180 cells that a spreadsheet opens as text, never as a formula.</summary>
public static class Csv
{
    /// <summary>
    /// Quoted when it holds a comma, quote or line break (quotes doubled). A value starting with = + - @, a tab or a
    /// carriage return is prefixed with an apostrophe, so a spreadsheet shows it rather than running it (OWASP, CSV injection).
    /// </summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
