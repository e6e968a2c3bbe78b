using Concordat.Accounts;
using Concordat.Data;
using Concordat.Organisations;
using Concordat.Shared;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Concordat.Agreements;

public static class AgreementEndpoints
{
    public static RouteGroupBuilder MapAgreementEndpoints(this RouteGroupBuilder api)
    {
        var agreements = api.MapGroup("/agreements").WithTags("Agreements");
        agreements.MapGet("/", ListAsync).WithName("ListAgreements")
            .WithSummary("List or search the agreements you may see, paged and sorted")
            .WithDescription("Listing: page (from 1), pageSize (1-100), sort (title, lead, status, review, newest; prefix - to reverse), organisation (id: lead or party). " +
                "With q (words; \"phrases\"; OR; -exclude; prefix*) or any other facet (status, agreementType, organisationType, borough, lawfulBasis, sensitivity, " +
                "dataSubject, theme, review, origin, year; each repeatable), it is a search, as GET /api/v1/search: ranked, with snippets and every facet's counts; " +
                "sort is then relevance, newest, review or title.");
        agreements.MapGet("/{id:int}", GetAsync).WithName("GetAgreement").WithSummary("Read one agreement record");
        agreements.MapGet("/{id:int}/suggestions", SuggestionsAsync).WithName("GetAgreementSuggestions").RequireAuthorization()
            .WithSummary("What the agreement's files say for the fields its record leaves empty")
            .WithDescription("For those who may change the whole record (the lead's editors). Each suggestion has its field, the value to send in a PUT, " +
                "what it reads as, the passage it came from, and for a party or a lawful basis the organisation it belongs to.");
        agreements.MapPost("/", CreateAsync).WithName("CreateAgreement").RequireAuthorization(AccountSetup.EditorsPolicy)
            .WithSummary("Create a draft agreement record").WithDescription("Only title and leadOrganisationId are needed for a draft; the rest is checked at publication.");
        agreements.MapPut("/{id:int}", UpdateAsync).WithName("UpdateAgreement").RequireAuthorization(AccountSetup.EditorsPolicy)
            .WithSummary("Replace an agreement record");
        agreements.MapPost("/{id:int}/publish", PublishAsync).WithName("PublishAgreement").RequireAuthorization(AccountSetup.EditorsPolicy)
            .WithSummary("Publish an agreement to the register (mandatory fields are checked here)");
        agreements.MapPost("/{id:int}/documents", UploadAsync).WithName("UploadDocument").RequireAuthorization(AccountSetup.EditorsPolicy)
            .DisableAntiforgery().WithSummary("Upload a file to an agreement (multipart: file, kind, visibility)")
            .WithDescription("kind: agreement, dpia, privacy-notice, signature-sheet, appendix. visibility (optional, narrower than the agreement): partners, parties-only. Accepted: PDF, DOCX, ODT, HTML, Markdown, plain text.");
        agreements.MapPost("/{id:int}/documents/{fileId:int}/versions", UploadVersionAsync).WithName("UploadDocumentVersion")
            .RequireAuthorization(AccountSetup.EditorsPolicy).DisableAntiforgery()
            .WithSummary("Upload a new version of one of an agreement's files (multipart: file)");

        var documents = api.MapGroup("/documents").WithTags("Documents");
        documents.MapGet("/{id:int}/content", (int id, Viewer viewer, ConcordatDb db, Documents.IBlobStore blobs, TimeProvider clock, CancellationToken ct)
            => FileDownloads.ContentAsync(id, viewer, db, blobs, clock, ct)).WithName("GetDocumentContent").WithSummary("Download a file as it was uploaded");
        documents.MapGet("/{id:int}/text", (int id, Viewer viewer, ConcordatDb db, CancellationToken ct)
            => FileDownloads.TextAsync(id, viewer, db, ct)).WithName("GetDocumentText").WithSummary("The text extracted from a file (text/plain)");
        return api;
    }

    static async Task<Results<Ok<AgreementListDto>, ValidationProblem>> ListAsync(
        string? page, string? pageSize, string? sort, string? organisation, HttpRequest http, IRegisterSearch search, Viewer viewer, ConcordatDb db, CancellationToken ct)
    {
        if (search.IsSearch(http.Query)) return await search.SearchAsync(http.Query, viewer, ct);
        var errors = new FieldErrors();
        var request = RegisterRequest.Parse(page, pageSize, sort, errors);
        int? orgId = null;
        if (!string.IsNullOrWhiteSpace(organisation))
        {
            if (int.TryParse(organisation, out var parsed) && parsed > 0) orgId = parsed;
            else errors.Add("organisation", "organisation must be an organisation id");
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors.ToProblemErrors());

        var result = await RegisterQuery.RunAsync(db, viewer, request with { OrganisationId = orgId }, ct);
        return TypedResults.Ok(new AgreementListDto(result.Items.Select(AgreementSummaryDto.From).ToList(), result.Total, result.Page, result.PageSize,
            new Dictionary<string, IReadOnlyDictionary<string, int>> { ["status"] = result.StatusCounts }));
    }

    static async Task<Results<Ok<AgreementDto>, ProblemHttpResult>> GetAsync(int id, Viewer viewer, ConcordatDb db, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindVisibleAsync(db, viewer, id, ct);
        return agreement is null ? NotFound(id) : TypedResults.Ok(AgreementDto.From(agreement));
    }

    static async Task<Results<Ok<SuggestionListDto>, ProblemHttpResult>> SuggestionsAsync(int id, Viewer viewer, ConcordatDb db, TimeProvider clock, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindVisibleAsync(db, viewer, id, ct);
        if (agreement is null) return NotFound(id);
        if (!AgreementAccess.MayChangeEverything(viewer, agreement.LeadOrganisationId))
            return await AgreementRefusal.ProblemAsync(db, viewer, id, "read suggestions", clock, ct);
        var suggestions = await TextSuggestions.LoadAsync(db, agreement, ct);
        return TypedResults.Ok(new SuggestionListDto(suggestions.Select(s => new SuggestionDto(s.Field, s.Value, s.Shown, s.Evidence, s.OrganisationId)).ToList()));
    }

    static async Task<Results<Created<AgreementDto>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        AgreementInput input, Viewer viewer, AgreementCommands commands, ConcordatDb db, TimeProvider clock, CancellationToken ct)
    {
        if (!AgreementAccess.MayCreate(viewer))
            return TypedResults.Problem(statusCode: 403, title: "You cannot add agreements",
                detail: "Adding agreements needs the editor role in an organisation. Ask your organisation's administrator.");
        var (agreement, errors) = await commands.CreateAsync(input, viewer, ct);
        if (agreement is null) return TypedResults.ValidationProblem(errors.ToProblemErrors(), title: "The agreement record has errors");
        var saved = await RegisterQuery.FindVisibleAsync(db, viewer, agreement.Id, ct);
        return TypedResults.Created($"/api/v1/agreements/{agreement.Id}", AgreementDto.From(saved!));
    }

    static async Task<Results<Ok<AgreementDto>, NoContent, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        int id, AgreementInput input, Viewer viewer, AgreementCommands commands, ConcordatDb db, TimeProvider clock, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindForEditAsync(db, viewer, id, ct);
        if (agreement is null) return await AgreementRefusal.ProblemAsync(db, viewer, id, "update", clock, ct);
        var result = await commands.UpdateAsync(agreement, input, viewer, ct);
        if (result.Forbidden)
            return TypedResults.Problem(statusCode: 403, title: "You cannot make this change",
                detail: "Only the lead organisation's editors (or a framework administrator) change its lead, parties, visibility and record; " +
                    "a party's editors change the data flows their own organisation sends, and add its files. 'errors' names each field refused and who can change it.",
                extensions: new Dictionary<string, object?> { ["errors"] = result.Errors.ToProblemErrors() });
        if (!result.Saved) return TypedResults.ValidationProblem(result.Errors.ToProblemErrors(), title: "The agreement record has errors");
        // Handing a draft to another lead can take it out of the caller's sight: saved, with nothing they may now read.
        return await RegisterQuery.FindVisibleAsync(db, viewer, id, ct) is { } saved ? TypedResults.Ok(AgreementDto.From(saved)) : TypedResults.NoContent();
    }

    static async Task<Results<Ok<AgreementDto>, ValidationProblem, ProblemHttpResult>> PublishAsync(
        int id, Viewer viewer, AgreementCommands commands, ConcordatDb db, TimeProvider clock, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindForEditAsync(db, viewer, id, ct);
        if (agreement is null || !AgreementAccess.MayPublish(viewer, agreement))
            return await AgreementRefusal.ProblemAsync(db, viewer, id, "publish", clock, ct);
        var errors = await commands.PublishAsync(agreement, viewer, ct);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors.ToProblemErrors(), title: "The agreement cannot be published yet");
        return TypedResults.Ok(AgreementDto.From((await RegisterQuery.FindVisibleAsync(db, viewer, id, ct))!));
    }

    static async Task<IResult> UploadAsync(int id, HttpContext http, Viewer viewer, ConcordatDb db, FileUploader uploader, TimeProvider clock, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindForUploadAsync(db, viewer, id, ct);
        if (agreement is null) return await AgreementRefusal.ProblemAsync(db, viewer, id, "upload", clock, ct);
        return await ReceiveAsync(http, agreement, null, viewer, db, uploader, clock, ct);
    }

    static async Task<IResult> UploadVersionAsync(int id, int fileId, HttpContext http, Viewer viewer, ConcordatDb db, FileUploader uploader, TimeProvider clock, CancellationToken ct)
    {
        var agreement = await RegisterQuery.FindForUploadAsync(db, viewer, id, ct);
        if (agreement is null) return await AgreementRefusal.ProblemAsync(db, viewer, id, "upload", clock, ct);
        var file = agreement.Files.FirstOrDefault(f => f.Id == fileId);
        if (file is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"Agreement {id} has no file {fileId} that you can see.");
        // Refused before the body is read: nobody streams 25 MB to learn they may not.
        if (await AgreementRefusal.FileAsync(db, viewer, agreement, file, file.Kind, clock, ct) is { } refused) return AgreementRefusal.Forbidden(refused.Field, refused.Message);
        return await ReceiveAsync(http, agreement, file, viewer, db, uploader, clock, ct);
    }

    static async Task<IResult> ReceiveAsync(HttpContext http, Agreement agreement, AgreementFile? existing, Viewer viewer, ConcordatDb db, FileUploader uploader,
        TimeProvider clock, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
            return TypedResults.Problem(statusCode: 415, title: "Send the file as multipart/form-data", detail: "Use a form field named 'file' (and 'kind' for a new file).");
        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var failure = uploader.TooLarge();
            return TypedResults.Problem(statusCode: failure.Status, title: failure.Title, detail: failure.Detail);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return TypedResults.Problem(statusCode: 400, title: "The upload could not be read",
                detail: "The request ended early or is not valid multipart/form-data with a boundary.");
        }

        var errors = new FieldErrors();
        var file = form.Files.GetFile("file");
        if (file is null) errors.Add("file", "Attach the file in a form field named 'file'");
        var kind = existing?.Kind ?? FileKind.Agreement;
        var kindText = form["kind"].ToString();
        if (existing is null && !string.IsNullOrWhiteSpace(kindText) && !EnumSlug<FileKind>.TryParse(kindText, out kind))
            errors.Add("kind", $"'{kindText}' is not a kind of file. Use one of: {string.Join(", ", EnumSlug<FileKind>.All)}");
        Visibility? visibility = null;
        var visibilityText = form["visibility"].ToString();
        if (existing is null && !string.IsNullOrWhiteSpace(visibilityText))
        {
            if (EnumSlug<Visibility>.TryParse(visibilityText, out var parsed)) visibility = parsed;
            else errors.Add("visibility", $"'{visibilityText}' is not a visibility. Use one of: {string.Join(", ", EnumSlug<Visibility>.All)}, or leave it out to follow the agreement");
        }
        if (existing is null && !errors.ContainsKey("kind") && await AgreementRefusal.FileAsync(db, viewer, agreement, null, kind, clock, ct) is { } refused)
            return AgreementRefusal.Forbidden(refused.Field, refused.Message);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors.ToProblemErrors());

        await using var stream = file!.OpenReadStream();
        var (version, problem) = await uploader.UploadAsync(agreement, existing, kind, stream, file.FileName, http.User.Identity?.Name, ct, visibility,
            AgreementAccess.ContributorFor(viewer, agreement));
        if (problem is not null) return TypedResults.Problem(statusCode: problem.Status, title: problem.Title, detail: problem.Detail);
        var owner = agreement.Files.Single(f => f.Versions.Contains(version!));
        return TypedResults.Created($"/api/v1/documents/{version!.Id}", DocumentDto.From(owner, version));
    }

    static ProblemHttpResult NotFound(int id) => AgreementRefusal.NotFound(id);
}
