using Microsoft.Extensions.Options;

namespace Integration.Storage;

/// <summary>Checks <c>Storage:Retry</c> (the Blob, Table and Queue clients' retry and network timeout).</summary>
internal sealed class StorageRetryValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var problems = options.Retry.Problems($"{StorageOptions.SectionName}:Retry").ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
