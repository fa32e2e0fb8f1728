using Integration.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration.Imports;

public static class ImportRegistration
{
    public static IServiceCollection AddImports(this IServiceCollection services)
    {
        services.AddValidatedOptions<ImportsOptions>(ImportsOptions.SectionName);
        services.AddSingleton<IValidateOptions<ImportsOptions>>(new PartnerResilienceOptionsValidator<ImportsOptions>(ImportsOptions.SectionName));
        services.AddHttpClient(DragonfruitImportClient.HttpClientName).WithPartnerDefaults();
        services.AddPartnerPipeline<ImportsOptions>(DragonfruitImportClient.PipelineName, "Dragonfruit import");
        services.AddSingleton<DragonfruitImportClient>();
        services.AddSingleton<ImportLedger>();
        services.AddSingleton<ImportReports>();
        services.AddSingleton<UploadSizeLimits>();
        services.AddSingleton<ImportSpools>();
        services.AddSingleton<ImportHandler>();
        services.AddSingleton<ImportReconciler>();
        return services;
    }
}
