using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>PHI flows through the real host and store with every log level on; none of it reaches a log sink.</summary>
internal sealed class RedactionTests
{
    [Test]
    public async Task Names_dates_of_birth_and_member_ids_never_reach_a_log_sink()
    {
        var sink = new CapturingLoggerProvider();

        // This test is the worker: the host's own would otherwise claim the item first (it polls every 50 ms).
        using var app = new ServiceApplication(new Dictionary<string, string?> { ["Verification:WorkerEnabled"] = "false" })
        {
            ConfigureHost = b => b.ConfigureLogging(logging =>
            {
                logging.AddProvider(sink);
                logging.SetMinimumLevel(LogLevel.Trace);
                logging.AddFilter((_, _) => true);
            }),
        };
        var jane = TestPatients.Jane;
        var store = app.Services.GetRequiredService<VerificationStore>();
        var queue = app.Services.GetRequiredService<VerificationQueue>();
        var logger = app.Services.GetRequiredService<ILogger<RedactionTests>>();
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();

        var inserted = await store.InsertAsync(jane.ToNew("idem-secret-123"), TestPatients.Admissions, default);
        var claimed = await queue.ClaimAsync("worker-a", now.AddMinutes(1), TimeSpan.FromMinutes(2), 10, default);
        await queue.CompleteAsync(inserted.Record.Id, "worker-a", VerificationStatus.Completed, jane.PayloadJson, now, default);
        var read = await store.GetAsync(inserted.Record.Id, TestPatients.Admissions, default);
        logger.LogInformation("Verification {Verification} and record {Record}", jane.ToNew(), read); // careless code: records print without PHI

        Assert.That(claimed.Single().PayloadJson, Is.EqualTo(jane.PayloadJson), "PHI did flow through the store");
        var stored = sink.Entries.Single(e => e.Message.StartsWith("Stored verification", StringComparison.Ordinal));
        Assert.That(stored.State, Does.Contain(new KeyValuePair<string, string?>("verification.PayerId", "60054")), "the [LogProperties] object was logged");
        Assert.That(stored.State.Single(kv => kv.Key == "verification.MemberId").Value, Is.Empty, "the member ID was erased");
        Assert.That(stored.State.Single(kv => kv.Key == "verification.PayloadJson").Value, Is.Empty, "the payload was erased");
        var text = sink.AllText;
        Assert.That(text, Does.Contain(inserted.Record.Id.ToString()), "the sink saw the verification's log lines");
        foreach (var identifier in jane.Identifiers.Append("idem-secret-123"))
        {
            Assert.That(text, Does.Not.Contain(identifier).IgnoreCase);
        }
    }

    [Test]
    public void The_PHI_classification_is_erased_and_secrets_too()
    {
        using var app = new ServiceApplication();
        var redactors = app.Services.GetRequiredService<IRedactorProvider>();

        Assert.That(redactors.GetRedactor(PhiTaxonomy.Phi).Redact("W98X76Y54Z"), Is.Empty);
        Assert.That(redactors.GetRedactor(PhiTaxonomy.Secret).Redact("api-key"), Is.Empty);
    }

    [Test]
    public void Records_carrying_PHI_print_without_it()
    {
        var text = TestPatients.Jane.ToNew() + " " + new VerificationRecord
        {
            Id = Guid.NewGuid(),
            Status = VerificationStatus.Completed,
            PayerId = "60054",
            MemberKey = "k",
            PayloadJson = TestPatients.Jane.PayloadJson,
            ResultJson = TestPatients.Jane.PayloadJson,
            CreatedBy = "test",
        };

        Assert.That(text, Does.Contain("60054"));
        foreach (var identifier in TestPatients.Jane.Identifiers)
        {
            Assert.That(text, Does.Not.Contain(identifier));
        }
    }
}
