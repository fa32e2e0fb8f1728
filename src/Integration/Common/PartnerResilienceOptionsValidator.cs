using Microsoft.Extensions.Options;

namespace Integration.Common;

internal sealed class PartnerResilienceOptionsValidator<T>(string section) : IValidateOptions<T>
    where T : PartnerResilienceOptions
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = options.Validate(section).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
