using Integration.Common;
using Integration.DeadLetters;
using Integration.Operations.Api;
using Integration.Operations.DeadLetters;
using Integration.Operations.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Integration.Operations;

public static class OperationsRegistration
{
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddValidatedOptions<OperationsOptions>(OperationsOptions.SectionName);
        services.AddValidatedOptions<OpsIdentityOptions>(OpsIdentityOptions.SectionName);
        services.AddSingleton<AppServiceAuthentication>();
        services.AddSingleton<OpsAuthorizer>();
        services.AddSingleton<OpsAudit>();
        services.AddSingleton<OpsRetention>();
        services.AddSingleton<ImportOperations>();
        services.AddSingleton<ResyncPlanStore>();
        services.AddSingleton<TaskResync>();
        services.AddSingleton<TaskReset>();
        services.AddSingleton<RequestLogQuery>();
        services.AddSingleton<RequestMinutesQuery>();
        services.AddSingleton<TokenStatusQuery>();
        services.AddSingleton<ImportReportQuery>();
        services.AddSingleton<IOpsEndpoints, DeadLetterEndpoints>();
        services.AddSingleton<IOpsEndpoints, ImportEndpoints>();
        services.AddSingleton<IOpsEndpoints, RequestEndpoints>();
        services.AddSingleton<IOpsEndpoints, TaskEndpoints>();
        services.AddSingleton<IOpsEndpoints, ConsoleEndpoints>();
        services.AddSingleton<OpsApi>();
        services.AddDeadLetterOperations(); // the host adds its IDeadLetterQueue and ITaskQueueSender (Service Bus in Azure, the local stand-in elsewhere)
        return services;
    }
}
