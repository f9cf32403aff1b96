using CoverageCheck.Estimator;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Estimates;

/// <summary>
/// <c>POST /api/v1/estimates</c>: the anonymous estimate of estimator.md. No personal data goes in or out, and no
/// payer is called. Anonymous callers are rate limited per client address; callers with a key are not.
/// </summary>
internal static class EstimatesApi
{
    public const string CorsPolicy = "website";
    public const string RateLimitPolicy = "estimates-anonymous";

    // Far more than the largest valid request (366 session dates and 1,000 closed dates are about 20 KB).
    private const int MaxBodyBytes = 64 * 1024;

    public static WebApplicationBuilder AddEstimates(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<RateCardOptions>().BindConfiguration(RateCardOptions.SectionName);
        services.AddSingleton<IValidateOptions<RateCardOptions>, RateCardOptionsValidator>();
        services.AddSingleton<IValidateOptions<RateCardOptions>, RateCardOptionsCustomValidator>();
        services.AddOptionsWithValidateOnStart<WebsiteOptions>().BindConfiguration(WebsiteOptions.SectionName);
        services.AddSingleton<IValidateOptions<WebsiteOptions>, WebsiteOptionsValidator>();
        services.AddSingleton<IValidateOptions<WebsiteOptions>, WebsiteOptionsCustomValidator>();
        services.AddSingleton<EstimatePricer>();
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, EstimatesJsonContext.Default);
            // Also on the app's options, so the OpenAPI document shows these choices as their strings.
            options.SerializerOptions.Converters.Add(new WireEnumConverter<CoverageStatus>());
            options.SerializerOptions.Converters.Add(new WireEnumConverter<NetworkStatus>());
        });

        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<WebsiteOptions>>((cors, website) =>
            cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(website.Value.AllowedOrigins)
                .WithMethods(HttpMethods.Post)
                .WithHeaders("Content-Type")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = RejectAsync;
            options.AddPolicy(RateLimitPolicy, context =>
            {
                // A caller the authentication middleware accepted (an API key) is not limited.
                if (context.User.Identity?.IsAuthenticated == true)
                {
                    return RateLimitPartition.GetNoLimiter("keyed");
                }

                var limit = context.RequestServices.GetRequiredService<IOptions<WebsiteOptions>>().Value.AnonymousRateLimit;
                var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
        });

        return builder;
    }

    public static RouteGroupBuilder MapEstimatesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/estimates")
            .WithTags("Estimates")
            .RequireAuthorization(Policies.Estimates) // anonymous welcome; a presented but wrong key is 401
            .RequireCors(CorsPolicy)
            .RequireRateLimiting(RateLimitPolicy);

        group.MapPost("/", CreateEstimate)
            .WithName(nameof(CreateEstimate))
            .WithSummary("Estimate what a patient would pay for an IOP program")
            .WithDescription("Anonymous; no personal data. Add ?detail=sessions for the day-by-day ledger.")
            .Accepts<EstimateRequestDto>("application/json")
            .Produces<EstimateResponse>()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        return group;
    }

    internal static async Task<Results<Ok<EstimateResponse>, ValidationProblem, ProblemHttpResult>> CreateEstimate(
        HttpRequest request,
        [FromQuery] string? detail,
        EstimatePricer pricer,
        CancellationToken cancellationToken)
    {
        var body = await JsonRequestBody.ReadAsync(request, EstimatesJsonContext.Default.EstimateRequestDto, MaxBodyBytes, "estimate request", cancellationToken);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        var errors = body.Errors;
        var includeSessions = false;
        if (detail is not null)
        {
            if (string.Equals(detail, "sessions", StringComparison.OrdinalIgnoreCase))
            {
                includeSessions = true;
            }
            else
            {
                errors.Add("detail", "Use detail=sessions for the day-by-day ledger, or leave it out.");
            }
        }

        if (body.Value is null)
        {
            return Invalid(errors);
        }

        var rules = new FieldErrors();
        var input = EstimateRequestValidation.Validate(body.Value, rules);
        var outcome = pricer.Estimate(input, includeSessions);
        rules.AddRuleErrors(outcome.Errors);
        errors.AddRuleErrors(rules);
        return errors.IsEmpty && outcome.Response is { } response ? TypedResults.Ok(response) : Invalid(errors);
    }

    private static ValidationProblem Invalid(FieldErrors errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(), title: "The estimate request is not valid.");

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = string.Create(CultureInfo.InvariantCulture, $"Too many estimate requests from this address; try again in {seconds} seconds, or use an API key."),
            },
        });
    }
}

/// <summary>
/// The estimates feature's contract, source-generated (camelCase, web defaults). It reads the request, writes the
/// answer (registered with the framework's JSON options, so OpenAPI shows the same records) and stores the answer
/// inside a verification result. A duplicate key is refused, not silently last-wins.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    AllowDuplicateProperties = false,
    Converters = [typeof(WireEnumConverter<CoverageStatus>), typeof(WireEnumConverter<NetworkStatus>)])]
[JsonSerializable(typeof(EstimateRequestDto))]
[JsonSerializable(typeof(EstimateResponse))]
internal sealed partial class EstimatesJsonContext : JsonSerializerContext;
