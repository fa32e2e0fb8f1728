using Integration.Common;
using Integration.Partners;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration.Tokens;

public static class TokenRegistration
{
    public static IServiceCollection AddTokens(this IServiceCollection services)
    {
        services.AddValidatedOptions<TokensOptions>(TokensOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration[TokensOptions.ScheduleSettingName] is { Length: > 0 } schedule)
                {
                    options.RefreshSchedule = schedule;
                }
            });
        services.AddSingleton<IValidateOptions<TokensOptions>, TokensOptionsValidator>();
        services.AddHttpClient(DragonfruitTokenClient.HttpClientName).AddPartnerResilience<DragonfruitOptions>("Dragonfruit");
        services.AddSingleton<DragonfruitTokenClient>();
        services.AddSingleton<IRefreshLock, BlobLeaseRefreshLock>();
        services.AddSingleton<TokenRefreshJournal>();
        services.AddSingleton<DragonfruitTokenRefresher>();
        services.AddSingleton<DragonfruitTokenProvider>();
        services.AddSingleton<FragmentTokenProvider>();
        return services;
    }
}
