using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Integration;

public static class OptionsRegistration
{
    /// <summary>Binds <typeparamref name="T"/> to its section, checks its annotations and fails the host at start when invalid.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IServiceCollection services, string section)
        where T : class =>
        services.AddOptions<T>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
