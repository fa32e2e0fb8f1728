using Microsoft.Extensions.Options;

namespace Integration.KeyVault;

internal sealed class KeyVaultOptionsValidator : IValidateOptions<KeyVaultOptions>
{
    public ValidateOptionsResult Validate(string? name, KeyVaultOptions options)
    {
        var failures = new List<string>();
        if (options.VaultUri is { } uri && uri.Scheme != Uri.UriSchemeHttps)
        {
            failures.Add($"KeyVault:VaultUri must be an https URI (got scheme '{uri.Scheme}').");
        }

        if (options.UsesEmulator && string.IsNullOrWhiteSpace(options.EmulatorAccessToken))
        {
            failures.Add("KeyVault:EmulatorAccessToken is required when KeyVault:EmulatorCertificateThumbprint is set.");
        }

        if (options.UsesEmulator && options.VaultUri is { IsLoopback: false })
        {
            failures.Add("KeyVault:EmulatorCertificateThumbprint may only be used with a loopback KeyVault:VaultUri.");
        }

        failures.AddRange(options.Retry.Problems($"{KeyVaultOptions.SectionName}:Retry"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
