using Integration.Common;
using Integration.Partners;
using Integration.Tasks.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration.Tasks;

public static class TaskRegistration
{
    public static IServiceCollection AddTasks(this IServiceCollection services)
    {
        services.AddValidatedOptions<TasksOptions>(TasksOptions.SectionName);
        services.AddHttpClient(FragmentTaskClient.HttpClientName).AddPartnerResilience<FragmentOptions>("Fragment");
        services.AddSingleton<FragmentTaskClient>();
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.SectionName);
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<DistributedRateLimiter>(
            provider, provider.GetRequiredService<IOptions<RateLimitOptions>>().Value));
        services.AddSingleton<TaskVersionStore>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<TaskHandler>();
        services.AddSingleton<ITaskHandler>(provider => provider.GetRequiredService<TaskHandler>());
        return services;
    }
}
