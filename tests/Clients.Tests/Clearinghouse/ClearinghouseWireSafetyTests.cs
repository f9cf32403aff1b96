using System.Diagnostics;
using System.Text;
using CoverageCheck.Clients.Clearinghouse;
using Microsoft.Extensions.DependencyInjection;
using static CoverageCheck.Clients.Tests.Clearinghouse.ClearinghouseClientFactory;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>
/// What the client puts on the wire and what it accepts back, against a real HTTP server on loopback (issue #14):
/// no redirect is followed with a patient's details, an answer has a size limit, and the body goes with a Content-Length.
/// </summary>
public sealed class ClearinghouseWireSafetyTests
{
    private readonly List<ServiceProvider> _providers = [];
    private ScriptedClearinghouse _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await ScriptedClearinghouse.StartAsync();

    [TearDown]
    public async Task StopServer()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _providers.Clear();
        await _server.DisposeAsync();
    }

    private IClearinghouseClient Client(Action<Dictionary<string, string?>>? adjust = null)
    {
        var settings = FastSettings(_server.BaseAddress);
        adjust?.Invoke(settings);
        var provider = Build(settings);
        _providers.Add(provider);
        return provider.GetRequiredService<IClearinghouseClient>();
    }

    [TestCase(307)]
    [TestCase(308)]
    [TestCase(302)]
    public async Task A_redirect_is_not_followed_and_the_patients_details_go_nowhere_else_issue_14(int status)
    {
        // The server would accept the re-sent POST at the new location (it answers every path): only the client's
        // refusal to follow keeps the patient's details from reaching it.
        _server.Script("60054", new ScriptedReply(status, "", Location: new Uri(_server.BaseAddress, "elsewhere/eligibility").ToString()));

        var failure = await CatchUnavailable(Client(), Inquiry());

        Assert.That(_server.Received.Select(r => r.Path), Is.EqualTo(new[] { "/medicalnetwork/eligibility/v3" }), "one request, to the configured address only");
        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Rejected));
        Assert.That(failure.IsTransient, Is.False, "a redirect is a configuration fault for a person, not retried elsewhere");
        Assert.That(failure.StatusCode, Is.EqualTo(status));
        Assert.That(failure.Message, Does.Contain("redirect"));
    }

    [Test]
    public async Task An_answer_over_MaxAnswerBytes_is_a_clear_failure_and_is_not_retried_issue_14()
    {
        var padding = new string('x', 300_000);
        var big = $$"""{"controlNumber":"000000001","tradingPartnerServiceId":"60054","planStatus":[{"statusCode":"1","status":"Active Coverage","serviceTypeCodes":["30"]}],"benefitsInformation":[{"code":"1","name":"Active Coverage","serviceTypeCodes":["30"]}],"errors":[],"padding":"{{padding}}"}""";
        _server.Always["60054"] = new ScriptedReply(200, big);

        var failure = await CatchUnavailable(Client(s => s["Clearinghouse:MaxAnswerBytes"] = "262144"), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.AnswerTooLarge));
        Assert.That(failure.IsTransient, Is.False);
        Assert.That(failure.Message, Does.Contain("262144").And.Contain("Clearinghouse:MaxAnswerBytes"));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1), "the same answer would come again: not retried");
    }

    [Test]
    public async Task An_answer_within_MaxAnswerBytes_is_read_as_before()
    {
        _server.Always["60054"] = new ScriptedReply(200, ScriptedClearinghouse.Answer("000000001", "60054") + new string(' ', 100_000));

        var answer = await Client(s => s["Clearinghouse:MaxAnswerBytes"] = "262144").CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Reading.Coverage?.Active, Is.True);
    }

    [Test]
    public async Task The_inquiry_is_sent_with_a_Content_Length_and_not_chunked_issue_14()
    {
        await Client().CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        var received = _server.Received.Single();
        Assert.That(received.TransferEncoding, Is.Null, "no Transfer-Encoding: chunked");
        Assert.That(received.ContentLength, Is.EqualTo(Encoding.UTF8.GetByteCount(received.Body)), "a Content-Length that matches the body");
        Assert.That(received.ContentType, Does.StartWith("application/json"));
    }

    [Test]
    public async Task MaxRetryAttempts_0_sends_one_attempt_instead_of_failing_every_inquiry_before_sending()
    {
        // Polly's retry refuses 0 retries; the pipeline used to fail every inquiry, unsent, as a "transport error".
        _server.Always["60054"] = new ScriptedReply(503, """{"message":"unavailable"}""");

        var failure = await CatchUnavailable(Client(s => s["Clearinghouse:MaxRetryAttempts"] = "0"), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.ServerError));
        Assert.That(failure.Attempts, Is.EqualTo(1));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1));
    }

    private static async Task<ClearinghouseUnavailableException> CatchUnavailable(IClearinghouseClient client, EligibilityInquiry inquiry)
    {
        try
        {
            await client.CheckEligibilityAsync(inquiry, CancellationToken.None);
        }
        catch (ClearinghouseUnavailableException ex)
        {
            return ex;
        }

        Assert.Fail("Expected ClearinghouseUnavailableException.");
        throw new UnreachableException();
    }
}
