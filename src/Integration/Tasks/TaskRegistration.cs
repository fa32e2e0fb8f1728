using Integration.Common;
using Integration.Partners;
using Integration.Tasks.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;

namespace Integration.Tasks;

public static class TaskRegistration
{
    public static IServiceCollection AddTasks(this IServiceCollection services)
    {
        services.AddValidatedOptions<TasksOptions>(TasksOptions.SectionName)
            .Validate<IOptions<FragmentOptions>, IOptions<RateLimitOptions>>(
                (tasks, fragment, limit) => tasks.ClaimDuration > fragment.Value.TotalTimeout + limit.Value.MaxWait,
                "Tasks:ClaimDuration must be longer than Fragment:TotalTimeout + Fragment:RateLimit:MaxWait: a claim must outlast the longest send (a slot wait and every quick retry).");
        // Every attempt first takes a slot of the shared budget (a strategy inside the retry, outside the attempt
        // timeout); the attempt handler, added after the resilience handler, sits inside it: one log row per attempt.
        services.AddTransient<FragmentAttemptHandler>();
        services.AddHttpClient(FragmentTaskClient.HttpClientName)
            .AddPartnerResilience<FragmentOptions>("Fragment", FragmentBudget)
            .AddHttpMessageHandler<FragmentAttemptHandler>();
        services.AddSingleton<FragmentTaskClient>();
        services.AddValidatedOptions<RateLimitOptions>(RateLimitOptions.SectionName)
            .Validate(o => o.Burst <= o.RequestsPerMinute, "Fragment:RateLimit:Burst must not exceed Fragment:RateLimit:RequestsPerMinute.");
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<DistributedRateLimiter>(
            provider, provider.GetRequiredService<IOptions<RateLimitOptions>>().Value));
        services.AddMetrics();
        services.AddSingleton<TaskMetrics>();
        services.AddSingleton<UnrecordedVersions>();
        services.AddSingleton<TaskVersionStore>();
        services.AddSingleton<RequestLog>();
        services.AddSingleton<TaskHandler>();
        services.AddSingleton<ITaskHandler>(provider => provider.GetRequiredService<TaskHandler>());
        services.AddSingleton<ITaskBatchHandler, TaskBatchHandler>();
        return services;
    }

    /// <summary>The Fragment pipeline's per-attempt strategy: the one owner of the shared budget.</summary>
    internal static ResilienceStrategy<HttpResponseMessage> FragmentBudget(IServiceProvider provider) =>
        ActivatorUtilities.CreateInstance<FragmentBudgetStrategy>(provider, provider.GetRequiredService<IOptions<TasksOptions>>().Value);
}
