using System.ComponentModel.DataAnnotations;
using Integration.KeyVault;

namespace Integration.Tokens;

/// <summary>Dragonfruit token refresh and caching (section <c>Tokens</c>).</summary>
public sealed class TokensOptions
{
    public const string SectionName = "Tokens";

    /// <summary>
    /// The flat app setting holding the refresh timer's NCRONTAB schedule. Flat, not <c>Tokens__…</c>: the Functions
    /// scale controller does not resolve nested setting names in timer schedules (azure-functions-host #8649).
    /// </summary>
    public const string ScheduleSettingName = "TokenRefreshSchedule";

    /// <summary>NCRONTAB (six fields, with seconds) of the refresh timer, read from <see cref="ScheduleSettingName"/>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string RefreshSchedule { get; set; } = "0 */5 * * * *";

    /// <summary>Refresh when the stored bearer expires within this margin.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromMinutes(15);

    public BearerTokenKind BearerToken { get; set; } = BearerTokenKind.IdToken;

    [Required, RegularExpression(KeyVaultOptions.SecretNamePattern)]
    public string RefreshTokenSecretName { get; set; } = "dragonfruit-refresh-token";

    [Required, RegularExpression(KeyVaultOptions.SecretNamePattern)]
    public string IdTokenSecretName { get; set; } = "dragonfruit-id-token";

    [Required, RegularExpression(KeyVaultOptions.SecretNamePattern)]
    public string AccessTokenSecretName { get; set; } = "dragonfruit-access-token";

    /// <summary>Callers re-read Key Vault this long before the cached bearer expires.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan CacheSkew { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the (static, revocable) Fragment API token is cached before Key Vault is read again.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan FragmentTokenCacheTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Blob container of the lease that keeps refreshes on several instances from overlapping.</summary>
    [Required, RegularExpression("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    public string LockContainer { get; set; } = "locks";

    /// <summary>Blob lease duration (15 to 60 seconds), renewed every third of it while a refresh runs.</summary>
    [Range(typeof(TimeSpan), "00:00:15", "00:01:00")]
    public TimeSpan LockLeaseDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a caller waits for another instance's refresh before giving up.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LockWaitTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Poll interval while another instance holds the refresh lease.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan LockPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    internal string BearerSecretName => BearerToken == BearerTokenKind.IdToken ? IdTokenSecretName : AccessTokenSecretName;
}
