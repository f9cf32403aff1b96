using System.Security.Claims;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.GoodFaithEstimates;

/// <summary>
/// Good Faith Estimates (No Surprises Act, 45 CFR 149.610): the document, the store that keeps each one as issued, and
/// <c>GET /staff/good-faith-estimates/{id}</c>, which hands the same PDF out again (the read is audited). Issuing is a
/// button on the staff result page.
/// </summary>
internal static class GoodFaithEstimatesApi
{
    public static WebApplicationBuilder AddGoodFaithEstimates(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<ProviderOptions>().BindConfiguration(ProviderOptions.SectionName);
        services.AddSingleton<IValidateOptions<ProviderOptions>, ProviderOptionsValidator>();
        services.AddSingleton<IValidateOptions<ProviderOptions>, ProviderOptionsCustomValidator>();
        services.AddSingleton<GoodFaithEstimateDocument>();
        services.AddSingleton<GoodFaithEstimateStore>();
        return builder;
    }

    public static RouteGroupBuilder MapGoodFaithEstimatesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/staff/good-faith-estimates").ExcludeFromDescription().RequireAuthorization(Policies.VerificationsWrite);
        group.MapGet("/{id:guid}", GetAsync);
        return group;
    }

    /// <summary>A Good Faith Estimate exactly as it was issued.</summary>
    internal static async Task<Results<FileContentHttpResult, NotFound>> GetAsync(
        Guid id, ClaimsPrincipal user, GoodFaithEstimateStore estimates, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var issued = await estimates.GetAsync(id, AccessContext.For(user, "staff page: good faith estimate"), timeProvider.GetUtcNow(), cancellationToken);

        // The file holds the patient's name and date of birth: the id alone names it, and it is never cached.
        return issued is { } found
            ? TypedResults.File(found.Pdf, "application/pdf", $"good-faith-estimate-{id:N}.pdf")
            : TypedResults.NotFound();
    }
}
