using Azure.Identity;
using Azure.Messaging.ServiceBus;
using Integration.DeadLetters;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Integration.Functions.Tasks;

internal static class TaskQueueRegistration
{
    /// <summary>
    /// The sender that schedules delayed copies onto the task queue: same namespace and identity settings as the
    /// trigger's connection (<c>ServiceBusConnection__fullyQualifiedNamespace</c>, optional <c>__clientId</c>).
    /// </summary>
    public static IHostApplicationBuilder AddTaskQueueSender(this IHostApplicationBuilder builder)
    {
        var connection = builder.Configuration.GetSection("ServiceBusConnection");
        builder.Services.AddAzureClients(clients => clients
            .AddServiceBusClientWithNamespace(connection["fullyQualifiedNamespace"] ?? "missing-ServiceBusConnection__fullyQualifiedNamespace.servicebus.windows.net")
            .WithCredential(new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = connection["clientId"] })));
        builder.Services.AddSingleton(provider => provider.GetRequiredService<ServiceBusClient>()
            .CreateSender(builder.Configuration["TasksQueueName"] ?? throw new InvalidOperationException("The app setting TasksQueueName is required.")));
        builder.Services.AddSingleton<ITaskQueueSender, ServiceBusTaskQueueSender>();
        builder.Services.AddSingleton<IDeadLetterQueue>(provider => new ServiceBusDeadLetterQueue(
            provider.GetRequiredService<ServiceBusClient>(), builder.Configuration["TasksQueueName"]!));
        return builder;
    }
}
