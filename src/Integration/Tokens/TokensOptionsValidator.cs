using Integration.Partners;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

/// <summary>Rules that span sections: an instance waiting for another's refresh must outlast a whole token call, and secret names must differ.</summary>
internal sealed class TokensOptionsValidator(IOptions<DragonfruitOptions> dragonfruit) : IValidateOptions<TokensOptions>
{
    public ValidateOptionsResult Validate(string? name, TokensOptions options)
    {
        var failures = new List<string>();
        // The lease is renewed while a refresh runs (BlobLeaseRefreshLock), so it need not outlast the token call; the
        // other instances' wait must, or they give up on a refresh that was about to succeed.
        if (dragonfruit.Value.TotalTimeout >= options.LockWaitTimeout)
        {
            failures.Add(
                $"Dragonfruit:TotalTimeout ({dragonfruit.Value.TotalTimeout}) must be shorter than Tokens:LockWaitTimeout ({options.LockWaitTimeout}), "
                + "or an instance waiting for another's refresh gives up before that refresh can end.");
        }

        string[] names = [options.RefreshTokenSecretName, options.IdTokenSecretName, options.AccessTokenSecretName];
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Length)
        {
            failures.Add("Tokens:RefreshTokenSecretName, IdTokenSecretName and AccessTokenSecretName must all differ.");
        }

        try
        {
            Cronos.CronExpression.Parse(options.RefreshSchedule, Cronos.CronFormat.IncludeSeconds);
        }
        catch (Cronos.CronFormatException e)
        {
            failures.Add($"{TokensOptions.ScheduleSettingName} '{options.RefreshSchedule}' is not a six-field NCRONTAB expression: {e.Message}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
