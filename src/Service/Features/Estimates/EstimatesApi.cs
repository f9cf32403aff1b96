using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
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
public static class EstimatesApi
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

    internal static async Task<Results<EstimateJsonResult, ValidationProblem, ProblemHttpResult>> CreateEstimate(
        HttpRequest request,
        [FromQuery] string? detail,
        EstimatePricer pricer,
        CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                detail: "Send the estimate request as JSON (Content-Type: application/json).");
        }

        var errors = new WireErrors();
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

        if (request.ContentLength > MaxBodyBytes)
        {
            return TooLarge();
        }

        // The body is parsed straight from Kestrel's buffers: no copy, nothing allocated per request for reading.
        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(cancellationToken);
            if (read.Buffer.Length > MaxBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.End);
                return TooLarge();
            }

            if (read.IsCompleted || read.IsCanceled)
            {
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        try
        {
            return Estimate(read.Buffer, includeSessions, errors, pricer);
        }
        finally
        {
            // Only now: a document parsed from one buffer segment reads Kestrel's memory in place.
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    private static Results<EstimateJsonResult, ValidationProblem, ProblemHttpResult> Estimate(
        ReadOnlySequence<byte> body, bool includeSessions, WireErrors errors, EstimatePricer pricer)
    {
        // A well-formed request is read in one pass; anything else is read again below, where every bad field is named.
        if (body.IsSingleSegment && EstimateRequestReader.TryRead(body.FirstSpan, out var fast))
        {
            return Answer(fast, includeSessions, errors, pricer);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            var (field, message) = body.IsEmpty
                ? (EstimateWire.BodyField, "A JSON estimate request is required.")
                : JsonErrorLocator.Locate(body.ToArray());
            errors.Add(field, message);
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The estimate request is not valid.");
        }

        using (document)
        {
            return Answer(EstimateWire.Read(document.RootElement, errors), includeSessions, errors, pricer);
        }
    }

    private static Results<EstimateJsonResult, ValidationProblem, ProblemHttpResult> Answer(
        EstimateInput input, bool includeSessions, WireErrors errors, EstimatePricer pricer)
    {
        var outcome = pricer.Estimate(input, includeSessions);
        errors.AddDomainErrors(outcome.Errors);
        if (!errors.IsEmpty || outcome.Response is null)
        {
            return TypedResults.ValidationProblem(errors.ToDictionary(), title: "The estimate request is not valid.");
        }

        return new EstimateJsonResult(outcome.Response);
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        detail: string.Create(CultureInfo.InvariantCulture, $"An estimate request may be at most {MaxBodyBytes / 1024} KB."));

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
/// 200 with the estimate as JSON, written by <see cref="EstimateResponseWriter"/> (the source-generated serializer's
/// bytes, at less CPU) into a buffer first, so the answer goes out with its <c>Content-Length</c> in one write instead
/// of in chunks: the website's calculator calls this endpoint on every change of an input.
/// </summary>
public sealed class EstimateJsonResult(EstimateResponse value) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult, IValueHttpResult, IValueHttpResult<EstimateResponse>
{
    // Answers with the day-by-day ledger can reach a few hundred KB; a thread keeps a buffer only up to this size.
    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    /// <summary>The estimate.</summary>
    public EstimateResponse Value { get; } = value;

    /// <inheritdoc/>
    public int? StatusCode => StatusCodes.Status200OK;

    /// <inheritdoc/>
    public string ContentType => "application/json; charset=utf-8";

    /// <inheritdoc/>
    object? IValueHttpResult.Value => Value;

    /// <inheritdoc/>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var buffer = _buffer ?? new ArrayBufferWriter<byte>(8 * 1024);
        _buffer = null;
        try
        {
            var length = EstimateResponseWriter.WriteTo(buffer, Value);
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
            response.ContentLength = length;
            var body = response.BodyWriter;
            body.Write(buffer.WrittenSpan); // copied in pipe-sized pieces: a ledger of 366 sessions is a few hundred KB
            var flush = body.FlushAsync(httpContext.RequestAborted);
            return flush.IsCompletedSuccessfully ? Task.CompletedTask : flush.AsTask();
        }
        finally
        {
            // The bytes are in the response's pipe by now, so the buffer is free before any await.
            if (buffer.Capacity <= KeptBufferBytes)
            {
                buffer.ResetWrittenCount();
                _buffer = buffer;
            }
        }
    }
}

/// <summary>Source-generated serialisation of the estimate answer (the web defaults: camelCase names).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(EstimateResponse))]
internal sealed partial class EstimatesJsonContext : JsonSerializerContext;
