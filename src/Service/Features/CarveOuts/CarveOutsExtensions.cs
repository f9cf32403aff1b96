using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.CarveOuts;

internal static class CarveOutsExtensions
{
    /// <summary>The carve-out administrators (<c>CarveOuts:N:*</c>, validated at start-up) and the follower that asks them.</summary>
    public static WebApplicationBuilder AddCarveOuts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptionsWithValidateOnStart<CarveOutsOptions>()
            .Configure(options => builder.Configuration.GetSection(CarveOutsOptions.SectionName).Bind(options.Administrators));
        builder.Services.AddSingleton<IValidateOptions<CarveOutsOptions>, CarveOutsOptionsValidator>();
        builder.Services.AddSingleton<IValidateOptions<CarveOutsOptions>, CarveOutsOptionsCustomValidator>();
        builder.Services.AddSingleton<CarveOutDirectory>();
        builder.Services.AddSingleton<CarveOutLinks>();
        builder.Services.AddSingleton<CarveOutFollower>();
        return builder;
    }
}
