using Integration.DeadLetters;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Integration.Operations.DeadLetters;

public static class DeadLetterRegistration
{
    /// <summary>
    /// <see cref="DeadLetterInspector"/>, <see cref="DeadLetterRedrive"/> and the discard with its archive. They need, from elsewhere: the host's
    /// <see cref="IDeadLetterQueue"/> and <see cref="ITaskQueueSender"/> (Service Bus in Azure, the local stand-in
    /// elsewhere) and the operations' audit and options (<c>AddOperations</c>).
    /// </summary>
    public static IServiceCollection AddDeadLetterOperations(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DeadLetterInspector>();
        services.TryAddSingleton<DeadLetterRedrive>();
        services.TryAddSingleton<Archive.DeadLetterArchive>();
        services.TryAddSingleton<Archive.DeadLetterDiscard>();
        services.TryAddSingleton<Archive.ArchiveRestore>();
        return services;
    }
}
