using Azure.Storage.Queues;
using Integration.Storage;
using Integration.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Integration.Local.Tasks;

public static class LocalTaskQueueRegistration
{
    /// <summary>
    /// The local task queue (<see cref="LocalTaskQueue"/>, section <c>LocalTaskQueue</c>) and a
    /// <see cref="QueueServiceClient"/> on <c>Storage:ConnectionString</c>, which must be Azurite's: this is the
    /// stand-in for Service Bus, never used against a real account. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddLocalTaskQueue(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(LocalTaskQueue)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<LocalTaskQueueOptions>(LocalTaskQueueOptions.SectionName)
            .Validate(
                o => !string.Equals(o.QueueName, o.DeadLetterQueueName, StringComparison.Ordinal),
                "LocalTaskQueue:DeadLetterQueueName must differ from LocalTaskQueue:QueueName.");
        services.AddOptions<StorageOptions>()
            .BindConfiguration(StorageOptions.SectionName)
            .Validate(
                o => IsAzurite(o.ConnectionString),
                "The local task queue needs Storage:ConnectionString pointing at Azurite (UseDevelopmentStorage=true or AccountName=devstoreaccount1).")
            .ValidateOnStart();
        services.TryAddSingleton(provider =>
        {
            var storage = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clientOptions = new QueueClientOptions();
            storage.Retry.ApplyTo(clientOptions.Retry);
            return new QueueServiceClient(storage.ConnectionString, clientOptions);
        });
        services.AddSingleton<LocalTaskQueue>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaskBacklog, LocalTaskBacklog>());
        return services;
    }

    /// <summary>
    /// <see cref="AddLocalTaskQueue"/> plus the <see cref="LocalTaskQueueConsumer"/> that feeds the registered
    /// <see cref="ITaskHandler"/> (registered elsewhere).
    /// </summary>
    public static IServiceCollection AddLocalTaskQueueConsumer(this IServiceCollection services)
    {
        services.AddLocalTaskQueue();
        services.AddHostedService<LocalTaskQueueConsumer>();
        return services;
    }

    private static bool IsAzurite(string? connectionString) =>
        connectionString is not null
        && (connectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase)
            || connectionString.Contains("AccountName=devstoreaccount1", StringComparison.OrdinalIgnoreCase));
}
