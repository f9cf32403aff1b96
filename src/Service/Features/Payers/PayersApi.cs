using System.Security.Cryptography;
using System.Text.Json;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace CoverageCheck.Service.Features.Payers;

/// <summary>
/// <c>GET /api/v1/payers</c>: the payers the program works with, our network status with each and their typical plans,
/// for the public website's calculator. Anonymous and public: nothing in it is about a person, so browsers and caches
/// may keep it (<c>Cache-Control: public</c>, an <c>ETag</c> and <c>304</c> on <c>If-None-Match</c>).
/// </summary>
internal static class PayersApi
{
    public const string CorsPolicy = "website-read";

    // Long enough that a visitor's page loads do not each reach the service, short enough that a changed table shows soon.
    private static readonly TimeSpan s_maxAge = TimeSpan.FromMinutes(5);

    public static WebApplicationBuilder AddPayersApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, PayersJsonContext.Default));
        services.AddCors();
        // The same origins as the anonymous estimate (Website:AllowedOrigins), for reading only.
        services.AddOptions<CorsOptions>().Configure<IOptions<WebsiteOptions>>((cors, website) =>
            cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(website.Value.AllowedOrigins)
                .WithMethods(HttpMethods.Get)
                .WithExposedHeaders(HeaderNames.ETag)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return builder;
    }

    public static RouteGroupBuilder MapPayersApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/payers")
            .WithTags("Payers")
            .RequireAuthorization(Policies.Estimates) // anonymous welcome; a presented but wrong key is 401
            .RequireCors(CorsPolicy);

        group.MapGet("/", ListPayers)
            .WithName(nameof(ListPayers))
            .WithSummary("The payers the program works with, our network status and typical plans")
            .WithDescription("Anonymous and cacheable; no personal data. The presets are typical plans, not anyone's benefits.")
            .Produces<IReadOnlyList<PayerListItem>>()
            .Produces(StatusCodes.Status304NotModified);

        return group;
    }

    internal static Results<Ok<IReadOnlyList<PayerListItem>>, StatusCodeHttpResult> ListPayers(HttpContext context, PayerDirectory directory)
    {
        IReadOnlyList<PayerListItem> payers =
        [
            .. directory.AllWithPresets.Select(row => new PayerListItem(
                row.Payer.Id,
                row.Payer.Name,
                row.Payer.Network == PayerNetwork.Out ? "out" : "in",
                [.. row.Presets.Select(p => new PayerPresetItem(p.Name, p.Deductible, p.CoinsurancePercent, p.CopayPerDay, p.OutOfPocketMax))])),
        ];

        // The tag is the hash of the body itself, so it changes exactly when the answer does (a changed table, a restart with other settings).
        var body = JsonSerializer.SerializeToUtf8Bytes(payers, PayersJsonContext.Default.IReadOnlyListPayerListItem);
        var etag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"");
        var headers = context.Response.GetTypedHeaders();
        headers.ETag = etag;
        headers.CacheControl = new CacheControlHeaderValue { Public = true, MaxAge = s_maxAge };
        // CORS answers an allowed origin with its name and others without: a shared cache must keep them apart.
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Origin);

        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(etag, useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(payers);
    }
}
