using Integration.Partners;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

/// <summary>Rules that span sections: the lease must outlast a whole token call, and secret names must differ.</summary>
internal sealed class TokensOptionsValidator(IOptions<DragonfruitOptions> dragonfruit) : IValidateOptions<TokensOptions>
{
    public ValidateOptionsResult Validate(string? name, TokensOptions options)
    {
        var failures = new List<string>();
        if (dragonfruit.Value.TotalTimeout >= options.LockLeaseDuration)
        {
            failures.Add(
                $"Dragonfruit:TotalTimeout ({dragonfruit.Value.TotalTimeout}) must be shorter than Tokens:LockLeaseDuration ({options.LockLeaseDuration}), "
                + "or a slow refresh could outlive its lease and overlap another instance's.");
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
