using Integration.Common;
using Integration.Imports;
using Integration.KeyVault;
using Integration.Operations;
using Integration.Partners;
using Integration.Storage;
using Integration.Tasks;
using Integration.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Integration;

/// <summary>The one composition root: the Functions app, the CLI and the tests all call <see cref="AddIntegration"/>.</summary>
public static class IntegrationRegistration
{
    public static IHostApplicationBuilder AddIntegration(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIntegration();
        return builder;
    }

    public static IServiceCollection AddIntegration(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<KnownSecrets>();
        services.AddValidatedOptions<HttpOptions>(HttpOptions.SectionName);
        services.AddQuietResilienceTelemetry();
        services.AddValidatedOptions<DragonfruitOptions>(DragonfruitOptions.SectionName);
        services.AddSingleton<IValidateOptions<DragonfruitOptions>>(new PartnerResilienceOptionsValidator<DragonfruitOptions>(DragonfruitOptions.SectionName));
        services.AddValidatedOptions<FragmentOptions>(FragmentOptions.SectionName);
        services.AddSingleton<IValidateOptions<FragmentOptions>>(new PartnerResilienceOptionsValidator<FragmentOptions>(FragmentOptions.SectionName));
        services.AddKeyVault();
        services.AddBlobStorage();
        services.AddTokens();
        services.AddImports();
        services.AddTasks();
        services.AddOperations();
        return services;
    }
}
