using CoverageCheck.Service.Data;
using Microsoft.AspNetCore.Diagnostics;

namespace CoverageCheck.Service.Infrastructure;

/// <summary>
/// Failures that are not the service's bug, answered as problem details with their own status instead of 500: a body
/// over the endpoint's size limit (Kestrel's <see cref="BadHttpRequestException"/>, 413) or unreadable (400), and a
/// database file deleted or replaced under the running service (503: nothing was written).
/// </summary>
internal sealed class RequestFailureExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = Find(exception) switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (
                StatusCodes.Status413PayloadTooLarge,
                "The request body is too large.",
                LimitText(httpContext)),
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read.", (string?)null),
            DatabaseFileChangedException => (
                StatusCodes.Status503ServiceUnavailable,
                "The database is unavailable.",
                "The database file was deleted or replaced while the service was running, so nothing was written. An operator must restore the file and restart the service."),
            _ => (0, null, null),
        };
        if (status == 0 || httpContext.Response.HasStarted)
        {
            return false;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
            Exception = exception,
        });
    }

    // A reader (CsvHelper, a StreamReader) may wrap the server's exception.
    private static Exception? Find(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is BadHttpRequestException or DatabaseFileChangedException)
            {
                return current;
            }
        }

        return null;
    }

    private static string LimitText(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
            ? $"This endpoint accepts a body of at most {limit / (1024 * 1024.0):0.#} MB."
            : "The body is larger than this endpoint accepts.";
}
