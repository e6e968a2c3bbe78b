using Concordat.Documents;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Concordat.Agreements;

/// <summary>
/// Refuses an oversized upload from its Content-Length before any of the body is read, and caps what
/// the server will read of a body that does not declare its length. Runs ahead of anti-forgery and
/// model binding, which would otherwise read the whole form first.
/// </summary>
public sealed class UploadSizeGuard(RequestDelegate next, IOptions<DocumentOptions> options)
{
    /// <summary>Room for the multipart boundaries and the other form fields around the file.</summary>
    public const long FormOverheadBytes = 64 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsPost(context.Request.Method) && IsUploadPath(context.Request.Path))
        {
            var limit = options.Value.MaxUploadBytes + FormOverheadBytes;
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                feature.MaxRequestBodySize = limit;
            // Just above the body limit, so an oversized body always meets the server's 413 first and
            // any other form-reading failure means the form itself is broken.
            context.Features.Set<IFormFeature>(new FormFeature(context.Request, new FormOptions { MultipartBodyLengthLimit = limit + 1 }));
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                // Tell the client not to keep sending the rest of the body.
                context.Response.Headers.Connection = "close";
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    await Results.Problem(statusCode: 413, title: "The file is too large",
                        detail: $"The file must be smaller than {options.Value.MaxUploadBytes / (1024 * 1024)} MB.").ExecuteAsync(context);
                }
                return; // pages: the status code page explains it
            }
        }
        await next(context);
    }

    /// <summary>/api/v1/agreements/{id}/documents[...] and the pages under /agreements/{id}/files.</summary>
    static bool IsUploadPath(PathString path)
    {
        var segments = path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return segments switch
        {
            ["api", "v1", "agreements", _, "documents", ..] => true,
            ["agreements", _, "files", ..] => true,
            _ => false,
        };
    }
}
