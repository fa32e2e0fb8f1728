using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Integration.Common;
using Integration.Imports.Csv;
using Integration.Partners;
using Integration.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;
using Polly.Timeout;

namespace Integration.Imports;

/// <summary>
/// <c>POST /customer/{id}/sites/import</c>, streamed: the request (and its content) is rebuilt for every attempt.
/// Transient answers are retried by the <see cref="PipelineName"/> pipeline; a 401 forces one token refresh and one more try.
/// An attempt that failed without an answer after its whole body went out is never retried here: it comes back as
/// <see cref="ImportResponse.AnswerLost"/>, and the run decides (<see cref="ImportDecisions"/>).
/// </summary>
public sealed class DragonfruitImportClient(
    IHttpClientFactory httpClientFactory,
    ResiliencePipelineProvider<string> pipelines,
    DragonfruitTokenProvider tokens,
    IOptions<DragonfruitOptions> dragonfruit,
    IOptions<ImportsOptions> imports,
    TimeProvider time,
    KnownSecrets known,
    ILogger<DragonfruitImportClient> logger)
{
    public const string HttpClientName = "Dragonfruit.Import";
    public const string PipelineName = "Dragonfruit.Import";

    /// <summary>The import endpoint, for what is learned about it (its size limit).</summary>
    public string Endpoint => $"{dragonfruit.Value.BaseUrl}customer/{{customer_id}}/sites/import";

    /// <summary>
    /// Fetches the bearer ahead of the first upload (from Key Vault, over TLS, in a fresh process), while the run opens,
    /// claims and checks the file. A failure here is left to the upload, which meets and reports it.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        try
        {
            await tokens.GetBearerTokenAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogDebug(e, "Fetching the Dragonfruit bearer ahead of the upload failed; the upload tries again");
        }
    }

    public async Task<ImportResponse> SendAsync(ImportUpload upload, string blobName, int part, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var attempts = 0;
        var bearer = await tokens.GetBearerTokenAsync(cancellationToken);
        var response = await SendWithRetriesAsync(upload, blobName, part, () => bearer, () => ++attempts, cancellationToken);
        if (response.Status == (int)HttpStatusCode.Unauthorized)
        {
            logger.LogWarning("Dragonfruit refused the bearer for {BlobName} part {Part}; forcing one token refresh", blobName, part);
            bearer = await tokens.RefreshAfterUnauthorizedAsync(bearer, cancellationToken);
            response = await SendWithRetriesAsync(upload, blobName, part, () => bearer, () => ++attempts, cancellationToken);
        }

        return response with { Attempts = attempts, Duration = time.GetElapsedTime(started) };
    }

    private async Task<ImportResponse> SendWithRetriesAsync(
        ImportUpload upload,
        string blobName,
        int part,
        Func<string> bearer,
        Func<int> nextAttempt,
        CancellationToken cancellationToken)
    {
        var pipeline = pipelines.GetPipeline<HttpResponseMessage>(PipelineName);
        var uri = new Uri(dragonfruit.Value.BaseUrl!, $"customer/{upload.CustomerId.ToString(CultureInfo.InvariantCulture)}/sites/import");
        try
        {
            using var answer = await pipeline.ExecuteAsync(
                async ct => await SendOnceAsync(uri, upload, blobName, part, bearer(), nextAttempt(), cancellationToken, ct),
                cancellationToken);
            // Masked where it is captured: a partner may echo the bearer it refused, and this body reaches the report.
            var body = known.Mask(await answer.Content.ReadAsStringAsync(cancellationToken));
            return new ImportResponse((int)answer.StatusCode, dragonfruit.Value.FindRequestId(answer.Headers), body, 0, TimeSpan.Zero, null);
        }
        catch (UploadRejectedException e)
        {
            return new ImportResponse(null, null, "", 0, TimeSpan.Zero, null, e.Problem);
        }
        catch (AnswerLostException e)
        {
            return new ImportResponse(null, null, "", 0, TimeSpan.Zero, e.Failure) { AnswerLost = true };
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            return new ImportResponse(null, null, "", 0, TimeSpan.Zero, e.GetType().Name);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(
        Uri uri,
        ImportUpload upload,
        string blobName,
        int part,
        string bearer,
        int attempt,
        CancellationToken callerToken,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var bodyComplete = false;
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = CreateContent(upload, async ct =>
            {
                if (upload.Listener is { } listener)
                {
                    await listener.BodyCompletingAsync(ct);
                }

                bodyComplete = true;
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        // A large upload asks first: a partner refusing it (413, 401) answers before the body is sent, not after it all.
        request.Headers.ExpectContinue = upload.Bytes >= imports.Value.ExpectContinueMinBytes;
        HttpResponseMessage? response = null;
        try
        {
            response = await httpClientFactory.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken); // small JSON; lets the pipeline dispose failed attempts
            if (bodyComplete && !response.IsSuccessStatusCode && upload.Listener is { } listener)
            {
                await listener.AnsweredAsync((int)response.StatusCode, dragonfruit.Value.FindRequestId(response.Headers), cancellationToken);
            }

            return response;
        }
        catch (Exception e) when (bodyComplete && response is not { IsSuccessStatusCode: false }
            && e is HttpRequestException or OperationCanceledException && !callerToken.IsCancellationRequested)
        {
            // The whole body went out and no answer came: Dragonfruit may have imported it. Not retried here (see LostAnswerPolicy).
            logger.LogWarning(
                "Import attempt {Attempt} for blob {BlobName} part {Part}: the whole body was sent and the answer was lost ({Failure})",
                attempt,
                blobName,
                part,
                e is OperationCanceledException ? "attempt timed out" : e.GetType().Name);
            throw new AnswerLostException(e is OperationCanceledException ? "attempt timed out after the body was sent" : $"{e.GetType().Name} after the body was sent");
        }
        catch (Exception e) when (e is not UploadRejectedException && upload.Inspection?.Result is CsvInspection.Invalid problem)
        {
            // The handler wraps what the content threw: unwrap it, so the pipeline does not retry a file that failed its checks.
            throw new UploadRejectedException(problem);
        }
        finally
        {
            logger.LogInformation(
                "Import attempt {Attempt} for customer {CustomerId} sheet {Sheet} blob {BlobName} part {Part}: {Status} (request id {PartnerRequestId}) after {Duration}, {Bytes} bytes",
                attempt,
                upload.CustomerId,
                upload.Sheet,
                blobName,
                part,
                response is null ? "no answer" : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
                response is null ? null : dragonfruit.Value.FindRequestId(response.Headers),
                time.GetElapsedTime(started),
                upload.Bytes);
        }
    }

    private static MultipartFormDataContent CreateContent(ImportUpload upload, Func<CancellationToken, Task> bodyCompleting)
    {
        var file = new StreamedRangesContent(upload.Source, upload.Ranges, upload.Inspection, bodyCompleting);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return new MultipartFormDataContent { { file, upload.Sheet, upload.FileName } };
    }

    /// <summary>No answer after the whole body went out: not one the pipeline retries.</summary>
    private sealed class AnswerLostException(string failure) : Exception(failure)
    {
        public string Failure { get; } = failure;
    }
}
