using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Intake;

/// <summary>
/// The intake's per-address limit (stricter than the estimates', as each request costs a payer call and staff time),
/// applied by the rate-limiting middleware; the global limit is <see cref="IntakeGlobalLimiter"/>.
/// </summary>
internal sealed class IntakeRateLimitPolicy(IOptions<IntakeOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "intake-per-address";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = (rejected, _) =>
        IntakeRateLimits.RejectAsync(rejected.HttpContext, rejected.Lease);

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var settings = options.Value;
        var address = httpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        return RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = settings.PermitsPerAddress,
            Window = settings.RateWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}

/// <summary>All website requests together: a flood from many addresses still cannot bury admissions.</summary>
internal sealed class IntakeGlobalLimiter(IOptions<IntakeOptions> options) : IDisposable
{
    private readonly FixedWindowRateLimiter _limiter = new(new FixedWindowRateLimiterOptions
    {
        PermitLimit = options.Value.GlobalPermits,
        Window = options.Value.RateWindow,
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    public RateLimitLease TryAcquire() => _limiter.AttemptAcquire();

    public void Dispose() => _limiter.Dispose();
}

internal static class IntakeRateLimits
{
    public static async ValueTask RejectAsync(HttpContext context, RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
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
                Detail = string.Create(CultureInfo.InvariantCulture, $"Too many requests from this address; try again in {seconds} seconds, or call us."),
            },
        });
    }
}
