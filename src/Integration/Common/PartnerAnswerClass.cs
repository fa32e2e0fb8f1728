namespace Integration.Common;

/// <summary>What a partner's HTTP answer means for the request that got it: the one classification of status codes.</summary>
public enum PartnerAnswerClass
{
    /// <summary>2xx.</summary>
    Accepted,

    /// <summary>400 or 422: the request itself is invalid; sending it again cannot help.</summary>
    Invalid,

    /// <summary>401 or 403: the credential was refused.</summary>
    CredentialRefused,

    /// <summary>Any other 4xx but 408 and 429 (404, 409, …): may be temporary on the partner's side, not for long.</summary>
    ClientError,

    /// <summary>429: too many requests.</summary>
    Throttled,

    /// <summary>408, 5xx, no answer (timeout, connection failure), or a status outside 200-599.</summary>
    Unavailable,
}
