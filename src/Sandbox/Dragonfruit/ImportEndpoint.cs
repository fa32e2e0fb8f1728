using System.Globalization;
using System.Text.Json.Nodes;
using Integration.Sandbox.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Integration.Sandbox.Dragonfruit;

/// <summary>
/// Dragonfruit's bulk import, <c>POST /customer/{customer_id}/sites/import</c>: a bearer IdToken or AccessToken from
/// <c>get_new_tokens</c>, and a multipart body with CSV files <c>sites</c> and/or <c>site_contacts</c>, read as a stream.
/// </summary>
internal static class ImportEndpoint
{
    public const string Pattern = "/customer/{customerId}/sites/import";

    private static readonly string[] SheetFields = ["sites", "site_contacts"];

    public static async Task<IResult> HandleAsync(
        HttpContext context,
        string customerId,
        IssuedTokens tokens,
        ImportLog imports,
        SandboxOptions options,
        ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(DragonfruitEndpoints.LogCategory);
        var request = context.Request;
        if (!tokens.IsValid(Bearer(request.Headers.Authorization.ToString())))
        {
            logger.LogInformation("Dragonfruit import rejected: bearer token missing, unknown, expired or revoked");
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return DragonfruitEndpoints.Answer(StatusCodes.Status401Unauthorized, "Unauthorized");
        }

        if (!long.TryParse(customerId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var customer))
        {
            return DragonfruitEndpoints.Answer(StatusCodes.Status400BadRequest, "customer_id must be an integer");
        }

        if (request.ContentLength > options.MaxUploadBytes)
        {
            logger.LogInformation("Dragonfruit import rejected: Content-Length {ContentLength} exceeds {MaxUploadBytes}", request.ContentLength, options.MaxUploadBytes);
            return TooLarge(context);
        }

        if (Boundary(request.ContentType) is not { } boundary)
        {
            return DragonfruitEndpoints.Answer(StatusCodes.Status400BadRequest, "Expected a multipart/form-data body");
        }

        var body = new LimitedReadStream(request.Body, options.MaxUploadBytes);
        if (options.DrainImports)
        {
            await body.CopyToAsync(Stream.Null, context.RequestAborted);
            logger.LogInformation("Dragonfruit import for customer {CustomerId} drained: {Bytes} bytes", customer, body.BytesRead);
            return Results.Json(Success(new Dictionary<string, SheetResult>()));
        }

        ImportRead read;
        try
        {
            read = await ImportReader.ReadAsync(boundary, body, SheetFields, options, context.RequestAborted);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or OperationCanceledException)
        {
            if (context.RequestAborted.IsCancellationRequested)
            {
                logger.LogInformation("Dragonfruit import aborted by the client after {Bytes} bytes", body.BytesRead);
                return Results.Empty;
            }

            if (body.Exceeded)
            {
                logger.LogInformation("Dragonfruit import rejected: body exceeds {MaxUploadBytes} bytes", options.MaxUploadBytes);
                return TooLarge(context);
            }

            logger.LogInformation("Dragonfruit import rejected: malformed multipart body ({Failure})", e.GetType().Name);
            return DragonfruitEndpoints.Answer(StatusCodes.Status400BadRequest, "Malformed multipart body");
        }

        if (read.Problem is { } problem)
        {
            return DragonfruitEndpoints.Answer(StatusCodes.Status400BadRequest, problem);
        }

        imports.Add(new ReceivedImport(customer, read.Sheets.ToDictionary(s => s.Key, s => s.Value.Sheet, StringComparer.Ordinal), DateTimeOffset.UtcNow, StatusCodes.Status200OK));
        foreach (var (field, sheet) in read.Sheets)
        {
            logger.LogInformation(
                "Dragonfruit import for customer {CustomerId}: {Field} {Bytes} bytes, {Records} records, {Errors} row errors",
                customer,
                field,
                sheet.Sheet.Bytes,
                sheet.Sheet.Records,
                sheet.ErrorRows.Count);
        }

        return Results.Json(Success(read.Sheets));
    }

    private static JsonObject Success(IReadOnlyDictionary<string, SheetResult> sheets)
    {
        var imported = new JsonObject();
        var errors = new JsonObject();
        foreach (var field in SheetFields)
        {
            var sheet = sheets.GetValueOrDefault(field);
            imported[field] = sheet?.ValidRows ?? 0;
            if (sheet is { ErrorRows.Count: > 0 })
            {
                errors[field] = new JsonArray([.. sheet.ErrorRows.Select(RowError)]);
            }
        }

        var data = new JsonObject { ["imported"] = imported, ["errors"] = errors };
        return new JsonObject { ["success"] = true, ["data"] = data };
    }

    private static JsonObject RowError(int row) => new()
    {
        ["row"] = row,
        ["message"] = string.Create(CultureInfo.InvariantCulture, $"Row {row}: invalid value"),
    };

    private static IResult TooLarge(HttpContext context)
    {
        // The rest of the body is not wanted; do not let Kestrel drain it for keep-alive.
        context.Response.Headers.Connection = "close";
        return DragonfruitEndpoints.Answer(StatusCodes.Status413PayloadTooLarge, "Upload too large");
    }

    private static string? Bearer(string authorization)
    {
        const string scheme = "Bearer ";
        return authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? authorization[scheme.Length..].Trim() : null;
    }

    private static string? Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary);
        return boundary.Length is > 0 and <= 70 ? boundary.ToString() : null;
    }
}
