using System.Collections.Concurrent;
using System.Diagnostics;
using CoverageCheck.Sandbox;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Tests.Data;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Verifications;

/// <summary>Traces run API → worker → clearinghouse: a worker's attempt joins the trace of the request that queued it.</summary>
internal sealed class TracePropagationTests
{
    private const string ApiSource = "CoverageCheck.Tests.Api";

    [Test]
    public async Task A_worker_attempt_joins_the_trace_of_the_request_that_queued_it()
    {
        var attempts = new ConcurrentBag<Activity>();
        using var listener = Listen(attempts);
        using var api = new ActivitySource(ApiSource);
        using var host = new VerificationsHost();
        var intake = host.Factory.Services.GetRequiredService<VerificationIntake>();

        ActivityContext request;
        Guid id;
        using (var activity = api.StartActivity("POST /api/v1/verifications")!)
        {
            request = activity.Context;
            id = (await intake.SubmitAsync(WorkerTests.Payload("AVA", "PPOSAMPLE", "1985-04-12", SandboxCatalogue.Aetna, "W100000001"), TestPatients.Admissions, new SubmitOptions(), CancellationToken.None)).Record.Id;
        }

        using var client = host.Client(TestApiKeys.Admissions);
        await VerificationsHost.WaitForAsync(client, $"/api/v1/verifications/{id}", TimeSpan.FromSeconds(20), "completed");

        var attempt = attempts.Single(a => Equals(a.GetTagItem("verification.id"), id));
        Assert.Multiple(() =>
        {
            Assert.That(attempt.TraceId, Is.EqualTo(request.TraceId), "the worker's attempt is in the request's trace");
            Assert.That(attempt.ParentSpanId, Is.EqualTo(request.SpanId));
        });
    }

    [Test]
    public async Task Nothing_is_kept_when_the_request_is_not_traced()
    {
        using var host = new VerificationsHost(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" });
        var intake = host.Factory.Services.GetRequiredService<VerificationIntake>();
        var store = host.Factory.Services.GetRequiredService<VerificationStore>();

        var id = (await intake.SubmitAsync(WorkerTests.Payload("AVA", "PPOSAMPLE", "1985-04-12", SandboxCatalogue.Aetna, "W100000001"), TestPatients.Admissions, new SubmitOptions(), CancellationToken.None)).Record.Id;

        Assert.That(await store.GetTraceParentAsync(id, CancellationToken.None), Is.Null);
    }

    private static ActivityListener Listen(ConcurrentBag<Activity> attempts)
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is VerificationTelemetry.Name or ApiSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "verification.attempt")
                {
                    attempts.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }
}
