using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Concordat.Shared;

/// <summary>
/// Turns a client's unreadable request (malformed JSON, a number where text belongs, a body cut short,
/// one too large) into its proper 4xx status, with problem+json that says what was wrong for the API.
/// Anything else is our fault: a plain 500 without internals.
/// </summary>
public static class ClientErrors
{
    public static async Task HandleAsync(HttpContext context)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is not BadHttpRequestException bad)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            if (context.Request.Path.StartsWithSegments("/api"))
                await Results.Problem(statusCode: 500, title: "Sorry, something went wrong on our side").ExecuteAsync(context);
            return; // pages: the status code page explains it
        }

        context.Response.StatusCode = bad.StatusCode;
        if (!context.Request.Path.StartsWithSegments("/api")) return;
        if (bad.InnerException is JsonException json)
        {
            var field = JsonPathToField(json.Path);
            var message = field is null ? "The body is not valid JSON" : $"The value of {field} is not of the right type or the JSON is not valid here";
            await Results.ValidationProblem(new Dictionary<string, string[]> { [field ?? "body"] = [message] },
                title: "The request body could not be read").ExecuteAsync(context);
            return;
        }
        await Results.Problem(statusCode: bad.StatusCode, title: bad.StatusCode == 413 ? "The request is too large" : "The request could not be read",
            detail: bad.StatusCode == 413 ? null : "Check the request's content type and body.").ExecuteAsync(context);
    }

    /// <summary>"$.parties[0].organisationId" → "parties[0].organisationId".</summary>
    static string? JsonPathToField(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.") ? path[2..] : path.TrimStart('$');
}
