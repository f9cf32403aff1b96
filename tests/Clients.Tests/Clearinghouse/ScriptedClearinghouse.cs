using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>One scripted answer: status, body, an optional delay before answering, an optional Retry-After and Location.</summary>
internal sealed record ScriptedReply(int Status, string? Body = null, TimeSpan Delay = default, string? RetryAfter = null, string? Location = null);

/// <summary>What the server saw of one request, framing headers included.</summary>
internal sealed record ReceivedRequest(
    string Path, string? Authorization, string ContentType, string Body, string PayerId, long? ContentLength = null, string? TransferEncoding = null);

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) speaking the v3 eligibility JSON, whose answers a test scripts
/// per payer. Unscripted requests get a 200 v3 answer echoing the control number and payer. Counts requests in flight.
/// </summary>
internal sealed class ScriptedClearinghouse : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ScriptedReply>> _scripts = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private int _inFlight;
    private int _maxInFlight;

    private ScriptedClearinghouse(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Answer fixed by tests that do not script each reply (e.g. a payer that is down).</summary>
    public ConcurrentDictionary<string, ScriptedReply> Always { get; } = new();

    /// <summary>The OAuth token endpoint this server also plays, at <see cref="TokenUrl"/>.</summary>
    public ScriptedTokenEndpoint Tokens { get; } = new();

    public Uri TokenUrl => new(BaseAddress, ScriptedTokenEndpoint.Path.TrimStart('/'));

    /// <summary>When true, an eligibility request without a live token from <see cref="Tokens"/> gets 401, as a real API would.</summary>
    public bool RequireBearerToken { get; set; }

    public int RequestsFor(string payerId) => _received.Count(r => r.PayerId == payerId);

    public void Script(string payerId, params ScriptedReply[] replies)
    {
        var queue = _scripts.GetOrAdd(payerId, _ => new ConcurrentQueue<ScriptedReply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    public static async Task<ScriptedClearinghouse> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedClearinghouse(app);
        app.MapPost(ScriptedTokenEndpoint.Path, server.Tokens.HandleAsync);
        app.MapPost("/{**path}", server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address + "/");
        return server;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, inFlight);
        var counted = true;
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            string payerId, controlNumber;
            using (var json = JsonDocument.Parse(body))
            {
                payerId = json.RootElement.GetProperty("tradingPartnerServiceId").GetString()!;
                controlNumber = json.RootElement.GetProperty("controlNumber").GetString()!;
            }

            _received.Enqueue(new ReceivedRequest(
                context.Request.Path.Value!, context.Request.Headers.Authorization.FirstOrDefault(), context.Request.ContentType ?? "", body, payerId,
                context.Request.ContentLength, context.Request.Headers.TransferEncoding.FirstOrDefault()));

            var reply = RequireBearerToken && !Tokens.Accepts(context.Request.Headers.Authorization.FirstOrDefault())
                ? new ScriptedReply(401, """{"message":"Unauthorized"}""")
                : _scripts.TryGetValue(payerId, out var queue) && queue.TryDequeue(out var next) ? next
                : Always.TryGetValue(payerId, out var always) ? always
                : new ScriptedReply(200);

            if (reply.Delay > TimeSpan.Zero)
            {
                await Task.Delay(reply.Delay, context.RequestAborted);
            }

            // The payer's work is done: the request is no longer "in flight" at the clearinghouse.
            Interlocked.Decrement(ref _inFlight);
            counted = false;

            context.Response.StatusCode = reply.Status;
            if (reply.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = reply.RetryAfter;
            }

            if (reply.Location is not null)
            {
                context.Response.Headers.Location = reply.Location;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body ?? Answer(controlNumber, payerId), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up (attempt timeout): nothing to answer.
        }
        finally
        {
            if (counted)
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    /// <summary>A minimal active-coverage v3 answer.</summary>
    public static string Answer(string controlNumber, string payerId) =>
        $$"""{"controlNumber":"{{controlNumber}}","tradingPartnerServiceId":"{{payerId}}","planStatus":[{"statusCode":"1","status":"Active Coverage","serviceTypeCodes":["30"]}],"benefitsInformation":[{"code":"1","name":"Active Coverage","serviceTypeCodes":["30"]}],"errors":[]}""";

    public const string Aaa72 = """{"controlNumber":"000000001","subscriber":{"aaaErrors":[{"field":"AAA","code":"72","description":"Invalid/Missing Subscriber/Insured ID","followupAction":"Please Correct and Resubmit","location":"Loop 2100C"}]},"errors":[{"field":"AAA","code":"72","description":"Invalid/Missing Subscriber/Insured ID","followupAction":"Please Correct and Resubmit","location":"Loop 2100C"}]}""";

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
