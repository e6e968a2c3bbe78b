using Concordat.Data;
using Concordat.Organisations;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;

namespace Concordat.Accounts;

/// <summary>
/// A form posted without a valid anti-forgery token (missing, forged, or another person's) is refused
/// by the framework with 400; this puts the attempt on the audit trail, since it is how a cross-site
/// forgery shows itself.
/// </summary>
public sealed class RefusedFormAudit(ConcordatDb db, TimeProvider clock, ILogger<RefusedFormAudit> logger) : IAsyncAlwaysRunResultFilter
{
    public async Task OnResultExecutionAsync(ResultExecutingContext context, ResultExecutionDelegate next)
    {
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            var http = context.HttpContext;
            var actor = http.Features.Get<Viewer>()?.Actor ?? "anonymous";
            logger.LogWarning("Refused a form without a valid anti-forgery token from {Actor} to {Path}", actor, http.Request.Path);
            Audit.AuditTrail.Record(db, actor, "request.refused", $"path:{http.Request.Path}",
                new { reason = "the form's anti-forgery token was missing or not valid", method = http.Request.Method }, clock);
            await db.SaveChangesAsync(http.RequestAborted);
        }
        await next();
    }
}
