using System.Buffers;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Clients.Clearinghouse;

/// <summary>
/// Where the clearinghouse is: <c>Clearinghouse:BaseUrl</c> when set, else a base address the host supplies at
/// run time (the in-process sandbox, which gets its loopback port only once started).
/// </summary>
internal sealed class ClearinghouseAddress(Func<IServiceProvider, CancellationToken, ValueTask<Uri>>? fallback)
{
    /// <summary>Placeholder the HTTP client is created with until the run-time address is known; never sent on the wire.</summary>
    public static readonly Uri Pending = new("http://clearinghouse.pending/");

    public bool HasFallback => fallback is not null;

    public static bool IsSet(Uri? baseUrl) => baseUrl is { IsAbsoluteUri: true };

    public ValueTask<Uri> ResolveFallbackAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        fallback is null
            ? throw new InvalidOperationException("Clearinghouse:BaseUrl is empty and no run-time clearinghouse address was registered.")
            : fallback(services, cancellationToken);

    /// <summary>The HttpClient base address: the configured one (with a trailing slash, so a base path is kept), or <see cref="Pending"/>.</summary>
    public static Uri ClientBaseAddress(ClearinghouseOptions options) =>
        IsSet(options.BaseUrl) ? WithTrailingSlash(options.BaseUrl!) : Pending;

    public static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
}

/// <summary>
/// Points requests made while the address was pending at the run-time address. Sits outside the resilience
/// handler, so every retry, the breaker and the concurrency limit apply to the real destination unchanged.
/// </summary>
internal sealed class ClearinghouseAddressHandler(ClearinghouseAddress address, IServiceProvider services) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { } uri && uri.IsAbsoluteUri && ClearinghouseAddress.Pending.IsBaseOf(uri))
        {
            var baseAddress = ClearinghouseAddress.WithTrailingSlash(await address.ResolveFallbackAsync(services, cancellationToken));
            var relative = ClearinghouseAddress.Pending.MakeRelativeUri(uri);
            request.RequestUri = new Uri(baseAddress, relative);
        }

        return await base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Adds <c>Authorization: &lt;ApiKey&gt;</c> (no scheme, Stedi style) when a key is configured.</summary>
internal sealed class ClearinghouseAuthorizationHandler(IOptionsMonitor<ClearinghouseOptions> options) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var key = options.CurrentValue.ApiKey;
        if (!string.IsNullOrEmpty(key))
        {
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", key);
        }

        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>
/// Innermost: counts each attempt that reaches the wire, and reads the whole body before the attempt ends, so a
/// stalled body counts against the attempt timeout and the concurrency permit is held until the answer is in. Reads at
/// most <c>Clearinghouse:MaxAnswerBytes</c>: a larger answer is a <see cref="ClearinghouseAnswerTooLargeException"/>,
/// neither read further nor kept.
/// </summary>
internal sealed class ClearinghouseAttemptHandler(IOptionsMonitor<ClearinghouseOptions> options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ClearinghouseCall.Of(request)?.CountAttempt();
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await BufferAsync(response, options.CurrentValue.MaxAnswerBytes, cancellationToken);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        return response;
    }

    private static async Task BufferAsync(HttpResponseMessage response, int limit, CancellationToken cancellationToken)
    {
        var content = response.Content;
        if (content.Headers.ContentLength is { } declared && declared > limit)
        {
            throw new ClearinghouseAnswerTooLargeException(limit, (int)response.StatusCode);
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new ClearinghouseAnswerTooLargeException(limit, (int)response.StatusCode);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var buffered = new ByteArrayContent(buffer.ToArray());
        foreach (var header in content.Headers)
        {
            if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                buffered.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        response.Content = buffered;
        content.Dispose();
    }
}

/// <summary>An answer larger than <c>Clearinghouse:MaxAnswerBytes</c>: not retried (the same answer would come again), not counted against the payer.</summary>
internal sealed class ClearinghouseAnswerTooLargeException(int limit, int statusCode)
    : Exception($"The clearinghouse's answer ({statusCode}) was larger than Clearinghouse:MaxAnswerBytes ({limit} bytes); it was neither read nor stored.")
{
    public int Limit { get; } = limit;

    public int StatusCode { get; } = statusCode;
}
