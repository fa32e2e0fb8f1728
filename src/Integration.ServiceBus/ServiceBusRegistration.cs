using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Integration.Common;
using Integration.DeadLetters;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integration.ServiceBus;

public static class ServiceBusRegistration
{
    /// <summary>The trigger's connection: <c>ServiceBusConnection__fullyQualifiedNamespace</c>, optional <c>__clientId</c>.</summary>
    public const string ConnectionSetting = "ServiceBusConnection";

    /// <summary>The task queue's name (flat: the trigger's <c>%TasksQueueName%</c>).</summary>
    public const string QueueNameSetting = "TasksQueueName";

    /// <summary>The app's own Service Bus client's retry and try timeout (<c>ServiceBus:Retry:*</c>; the trigger's are in host.json).</summary>
    public const string RetrySection = "ServiceBus:Retry";

    /// <summary>
    /// The task queue for the app's own use, on the trigger's namespace and identity: the <see cref="ServiceBusClient"/>,
    /// the task queue's <see cref="ServiceBusSender"/> (delayed copies), <see cref="ITaskQueueSender"/> and the
    /// <see cref="IDeadLetterQueue"/> of the operator tools. Nothing connects before first use; a missing queue name
    /// fails when a sender is first needed, naming the setting.
    /// </summary>
    public static IHostApplicationBuilder AddServiceBusTaskQueue(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var connection = configuration.GetSection(ConnectionSetting);
        builder.Services.AddOptions<AzureClientRetry>(RetrySection)
            .BindConfiguration(RetrySection)
            .Validate(o => !o.Problems(RetrySection).Any(), $"{RetrySection}: NetworkTimeout above 0 and at most 00:05:00, MaxRetries 0 to 10, Delay above 0, MaxDelay at least Delay.")
            .ValidateOnStart();
        builder.Services.AddAzureClients(clients => clients
            .AddServiceBusClientWithNamespace(connection["fullyQualifiedNamespace"] is { Length: > 0 } ns ? ns : $"missing-{ConnectionSetting}__fullyQualifiedNamespace.servicebus.windows.net")
            .WithCredential(new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = connection["clientId"] }))
            .ConfigureOptions((options, provider) =>
            {
                var retry = provider.GetRequiredService<IOptionsMonitor<AzureClientRetry>>().Get(RetrySection);
                options.RetryOptions.Mode = ServiceBusRetryMode.Exponential;
                options.RetryOptions.TryTimeout = retry.NetworkTimeout;
                options.RetryOptions.MaxRetries = retry.MaxRetries;
                options.RetryOptions.Delay = retry.Delay;
                options.RetryOptions.MaxDelay = retry.MaxDelay;
            }));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(provider => provider.GetRequiredService<ServiceBusClient>().CreateSender(QueueName(configuration)));
        builder.Services.AddSingleton<ITaskQueueSender, ServiceBusTaskQueueSender>();
        builder.Services.AddSingleton<IDeadLetterQueue>(provider => new ServiceBusDeadLetterQueue(
            provider.GetRequiredService<ServiceBusClient>(), QueueName(configuration), provider.GetRequiredService<TimeProvider>()));
        return builder;
    }

    private static string QueueName(IConfiguration configuration) =>
        configuration[QueueNameSetting] is { Length: > 0 } name
            ? name
            : throw new InvalidOperationException($"The app setting {QueueNameSetting} is required (the task queue's name).");
}
