using Microsoft.Extensions.DependencyInjection;

namespace Integration.Local.Imports;

public static class LocalImportRegistration
{
    /// <summary>
    /// The <see cref="LocalImportWatcher"/> in place of the blob trigger, with its <see cref="LocalImportsOptions"/>;
    /// the import pipeline itself comes from <c>AddIntegration</c>.
    /// </summary>
    public static IServiceCollection AddLocalImportWatcher(this IServiceCollection services)
    {
        services.AddValidatedOptions<LocalImportsOptions>(LocalImportsOptions.SectionName);
        services.AddHostedService<LocalImportWatcher>();
        return services;
    }
}
