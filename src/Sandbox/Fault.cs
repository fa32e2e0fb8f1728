using System.Globalization;

namespace Integration.Sandbox;

/// <summary>One queued misbehaviour; it consumes exactly one request on its route.</summary>
public sealed record Fault
{
    /// <summary>Answer this status (with <see cref="Body"/> if set, else an empty body).</summary>
    public int? Status { get; init; }

    /// <summary>Raw body to answer; status 200 when <see cref="Status"/> is null.</summary>
    public string? Body { get; init; }

    /// <summary>
    /// A partner that echoes the credential it was given: every <see cref="CredentialPlaceholder"/> in <see cref="Body"/>
    /// becomes the credential the request presented (the <c>Authorization</c> header's token, else the JSON body's
    /// <c>refreshToken</c>).
    /// </summary>
    public bool EchoCredential { get; init; }

    public const string CredentialPlaceholder = "{credential}";

    /// <summary>Adds a <c>Retry-After</c> header in whole seconds.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Waits this long (real time) before answering normally or with <see cref="Status"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Never answers; waits until the client aborts or the sandbox stops.</summary>
    public bool Hang { get; init; }

    /// <summary>Aborts the connection without answering.</summary>
    public bool DropConnection { get; init; }

    /// <summary>Waits for this to complete, then answers normally (in-process tests only).</summary>
    public TaskCompletionSource? Gate { get; init; }

    public static Fault WithStatus(int status, TimeSpan? retryAfter = null, string? body = null) =>
        new() { Status = status, RetryAfter = retryAfter, Body = body };

    public static Fault SuccessBody(string body) => new() { Status = 200, Body = body };

    /// <summary>Answers <paramref name="status"/> with <paramref name="body"/>, its <see cref="CredentialPlaceholder"/>s replaced by the presented credential.</summary>
    public static Fault Echoing(int status, string body) => new() { Status = status, Body = body, EchoCredential = true };

    /// <summary>A loggable summary that never includes the body.</summary>
    internal string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"status={Status?.ToString(CultureInfo.InvariantCulture) ?? "-"} body={Body is not null} retryAfter={RetryAfter?.TotalSeconds} delayMs={Delay?.TotalMilliseconds} echo={EchoCredential} hang={Hang} drop={DropConnection} gate={Gate is not null}");
}
