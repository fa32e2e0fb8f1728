using Integration.DeadLetters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integration.Local.Tasks;

public static class LocalDeadLetterRegistration
{
    /// <summary>
    /// The local stand-in's side of the operator tools: <see cref="IDeadLetterQueue"/> (<see cref="LocalDeadLetterQueue"/>)
    /// and <see cref="ITaskQueueSender"/> (<see cref="LocalTaskQueueSender"/>), over <see cref="LocalTaskQueue"/>
    /// (registered too when missing). Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddLocalDeadLetterQueue(this IServiceCollection services)
    {
        services.AddLocalTaskQueue();
        services.TryAddSingleton<IDeadLetterQueue, LocalDeadLetterQueue>();
        services.TryAddSingleton<ITaskQueueSender, LocalTaskQueueSender>();
        return services;
    }
}
