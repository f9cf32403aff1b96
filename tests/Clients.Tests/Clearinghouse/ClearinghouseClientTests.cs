using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Clients.Eligibility;
using Microsoft.Extensions.DependencyInjection;
using static CoverageCheck.Clients.Tests.Clearinghouse.ClearinghouseClientFactory;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>The client and its resilience pipeline against a real HTTP server on loopback.</summary>
public sealed class ClearinghouseClientTests
{
    private ScriptedClearinghouse _server = null!;

    [SetUp]
    public async Task StartServer() => _server = await ScriptedClearinghouse.StartAsync();

    [TearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    private IClearinghouseClient Client(Action<Dictionary<string, string?>>? adjust = null)
    {
        var settings = FastSettings(_server.BaseAddress);
        adjust?.Invoke(settings);
        var provider = Build(settings);
        _providers.Add(provider);
        return provider.GetRequiredService<IClearinghouseClient>();
    }

    private readonly List<ServiceProvider> _providers = [];

    [TearDown]
    public async Task DisposeProviders()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        _providers.Clear();
    }

    [Test]
    public async Task Two_503s_then_200_succeeds_on_the_third_attempt()
    {
        _server.Script("60054", new ScriptedReply(503), new ScriptedReply(503));

        var answer = await Client().CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Attempts, Is.EqualTo(3));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(3));
        Assert.That(answer.RawAnswer, Does.Contain("\"controlNumber\":\"000000001\""));
        Assert.That(answer.Reading.IsReadable, Is.True, string.Join("; ", answer.Reading.InputErrors));
        Assert.That(answer.Reading.Coverage?.Active, Is.True, "the scripted answer is active coverage, read by the client");
        Assert.That(answer.Reading.Errors, Is.Empty);
    }

    [TestCase(429)]
    [TestCase(503)]
    public async Task Retry_After_is_honoured_over_the_back_off(int status)
    {
        // Back-off alone would wait about 10 ms; the server asks for 1 s.
        _server.Script("60054", new ScriptedReply(status, RetryAfter: "1"));

        var clock = Stopwatch.StartNew();
        var answer = await Client().CheckEligibilityAsync(Inquiry(), CancellationToken.None);
        clock.Stop();

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Attempts, Is.EqualTo(2));
        Assert.That(clock.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(950)));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
    }

    [Test]
    public async Task A_Retry_After_longer_than_MaxRetryAfter_goes_back_to_the_caller_with_the_hint()
    {
        _server.Script("60054", new ScriptedReply(429, RetryAfter: "120"));

        var failure = await CatchUnavailable(Client(), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Throttled));
        Assert.That(failure.IsTransient, Is.True);
        Assert.That(failure.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(120)));
        Assert.That(failure.Attempts, Is.EqualTo(1));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1));
    }

    [Test]
    public async Task An_attempt_that_times_out_is_retried()
    {
        _server.Script("60054", new ScriptedReply(200, Delay: TimeSpan.FromSeconds(5)));

        var clock = Stopwatch.StartNew();
        var answer = await Client(s => s["Clearinghouse:AttemptTimeout"] = "00:00:00.300").CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Attempts, Is.EqualTo(2));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)), "the slow attempt was cut at its timeout");
    }

    [Test]
    public async Task When_every_attempt_times_out_the_failure_is_a_transient_timeout()
    {
        _server.Always["60054"] = new ScriptedReply(200, Delay: TimeSpan.FromSeconds(5));

        var failure = await CatchUnavailable(
            Client(s => { s["Clearinghouse:AttemptTimeout"] = "00:00:00.200"; s["Clearinghouse:MaxRetryAttempts"] = "1"; }),
            Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Timeout));
        Assert.That(failure.IsTransient, Is.True);
        Assert.That(failure.Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task A_400_with_AAA_72_is_not_retried_and_comes_back_as_the_rejection()
    {
        _server.Script("60054", new ScriptedReply(400, ScriptedClearinghouse.Aaa72));

        var answer = await Client().CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(answer.StatusCode, Is.EqualTo(400));
        Assert.That(answer.RawAnswer, Is.EqualTo(ScriptedClearinghouse.Aaa72));
        Assert.That(answer.Reading.Coverage, Is.Null);
        Assert.That(answer.Reading.Errors.Select(e => (e.Code, e.Class, e.Retryable)).Distinct(),
            Is.EqualTo(new[] { ("72", AaaClass.CorrectData, false) }));
        Assert.That(answer.Attempts, Is.EqualTo(1));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_200_whose_body_cannot_be_read_comes_back_unreadable_not_as_a_failure()
    {
        _server.Script("60054", new ScriptedReply(200, "<html>maintenance</html>"));

        var answer = await Client().CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.RawAnswer, Is.EqualTo("<html>maintenance</html>"));
        Assert.That(answer.Reading.IsReadable, Is.False);
        Assert.That(answer.Reading.InputErrors, Is.Not.Empty);
        Assert.That(answer.Reading.Coverage, Is.Null);
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_400_without_AAA_errors_is_a_permanent_rejection()
    {
        _server.Script("60054", new ScriptedReply(400, """{"message":"controlNumber is required","code":"BAD_REQUEST"}"""));

        var failure = await CatchUnavailable(Client(), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Rejected));
        Assert.That(failure.IsTransient, Is.False);
        Assert.That(failure.StatusCode, Is.EqualTo(400));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_401_is_an_unauthorized_failure_and_is_not_retried()
    {
        _server.Script("60054", new ScriptedReply(401, """{"message":"Unauthorized"}"""));

        var failure = await CatchUnavailable(Client(), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Unauthorized));
        Assert.That(failure.IsTransient, Is.False);
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1));
    }

    [Test]
    public async Task Persistent_503s_exhaust_the_retries_and_fail_as_a_transient_server_error()
    {
        _server.Always["60054"] = new ScriptedReply(503, """{"message":"unavailable"}""");

        var failure = await CatchUnavailable(Client(), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.ServerError));
        Assert.That(failure.IsTransient, Is.True);
        Assert.That(failure.StatusCode, Is.EqualTo(503));
        Assert.That(failure.Attempts, Is.EqualTo(4), "the first try and 3 retries");
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(4));
    }

    [Test]
    public async Task The_breaker_opens_for_the_failing_payer_and_not_for_another()
    {
        _server.Always["00710"] = new ScriptedReply(503, """{"message":"unavailable"}""");
        var client = Client(s => s["Clearinghouse:MaxRetryAttempts"] = "1");

        // Two calls of two attempts each: 4 failures reach the minimum throughput at a 100 % failure ratio.
        for (var i = 0; i < 2; i++)
        {
            var failure = await CatchUnavailable(client, Inquiry(payerId: "00710"));
            Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.ServerError));
        }

        var sentBeforeOpen = _server.RequestsFor("00710");
        var open = await CatchUnavailable(client, Inquiry(payerId: "00710"));
        var other = await client.CheckEligibilityAsync(Inquiry(payerId: "60054"), CancellationToken.None);

        Assert.That(open.Reason, Is.EqualTo(ClearinghouseFailureReason.CircuitOpen));
        Assert.That(open.IsTransient, Is.True);
        Assert.That(open.Attempts, Is.EqualTo(0));
        Assert.That(_server.RequestsFor("00710"), Is.EqualTo(sentBeforeOpen), "an open breaker sends nothing");
        Assert.That(other.StatusCode, Is.EqualTo(200));
        Assert.That(other.Attempts, Is.EqualTo(1));
    }

    [Test]
    public async Task Throttling_429s_do_not_open_a_payers_breaker()
    {
        _server.Always["60054"] = new ScriptedReply(429, """{"message":"Request throttled: CUSTOMER_LIMIT","code":"TOO_MANY_REQUESTS"}""");
        var client = Client(s => s["Clearinghouse:MaxRetryAttempts"] = "1");

        for (var i = 0; i < 3; i++)
        {
            var failure = await CatchUnavailable(client, Inquiry());
            Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Throttled));
        }

        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(6));
    }

    [Test]
    public async Task The_concurrency_limit_holds_across_payers()
    {
        string[] payers = ["60054", "62308", "87726"];
        foreach (var payer in payers)
        {
            _server.Always[payer] = new ScriptedReply(200, Delay: TimeSpan.FromMilliseconds(150));
        }

        var client = Client(s => s["Clearinghouse:MaxConcurrency"] = "3");

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            client.CheckEligibilityAsync(Inquiry(payerId: payers[i % 3], controlNumber: $"{i + 1:000000000}"), CancellationToken.None)));

        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(200));
        Assert.That(answers.Select(a => a.Reading.Coverage?.Active), Is.All.True);
        Assert.That(_server.MaxInFlight, Is.EqualTo(3));
    }

    [Test]
    public async Task A_full_concurrency_queue_refuses_at_once_without_sending()
    {
        _server.Always["60054"] = new ScriptedReply(200, Delay: TimeSpan.FromMilliseconds(500));
        var client = Client(s => { s["Clearinghouse:MaxConcurrency"] = "1"; s["Clearinghouse:QueueLimit"] = "0"; });

        var first = client.CheckEligibilityAsync(Inquiry(), CancellationToken.None);
        await WaitUntil(() => _server.RequestsFor("60054") == 1);
        var refused = await CatchUnavailable(client, Inquiry(controlNumber: "000000002"));

        Assert.That(refused.Reason, Is.EqualTo(ClearinghouseFailureReason.ConcurrencyLimit));
        Assert.That(refused.IsTransient, Is.True);
        Assert.That(refused.Attempts, Is.EqualTo(0));
        Assert.That((await first).StatusCode, Is.EqualTo(200));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1));
    }

    [Test]
    public async Task The_API_key_is_sent_as_the_Authorization_header_without_a_scheme()
    {
        await Client(s => s["Clearinghouse:ApiKey"] = "test_sk_4f1c9a").CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(_server.Received.Single().Authorization, Is.EqualTo("test_sk_4f1c9a"));
    }

    [Test]
    public async Task No_Authorization_header_is_sent_without_a_key()
    {
        await Client().CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(_server.Received.Single().Authorization, Is.Null);
    }

    [Test]
    public async Task The_request_is_exactly_the_v3_shape()
    {
        var inquiry = new EligibilityInquiry("00710", "Ava", "Pposample", new DateOnly(1985, 4, 2), "W100000001", "AET100", new DateOnly(2026, 12, 7), "AI", "123456789");

        await Client().CheckEligibilityAsync(inquiry, CancellationToken.None);

        var received = _server.Received.Single();
        Assert.That(received.Path, Is.EqualTo("/medicalnetwork/eligibility/v3"));
        Assert.That(received.ContentType, Does.StartWith("application/json"));
        Assert.That(received.Body, Is.EqualTo(
            """{"controlNumber":"123456789","tradingPartnerServiceId":"00710","provider":{"organizationName":"Harbor Light Recovery IOP","npi":"1999999984"},"subscriber":{"memberId":"W100000001","firstName":"Ava","lastName":"Pposample","dateOfBirth":"19850402","groupNumber":"AET100"},"encounter":{"serviceTypeCodes":["AI"],"dateOfService":"20261207"}}"""));
    }

    [Test]
    public async Task An_unknown_group_number_is_left_out_of_the_request()
    {
        await Client().CheckEligibilityAsync(Inquiry(groupNumber: null), CancellationToken.None);

        Assert.That(_server.Received.Single().Body, Does.Not.Contain("groupNumber"));
    }

    [Test]
    public async Task A_base_address_with_a_path_keeps_it_as_Stedi_needs()
    {
        var client = Client(s => s["Clearinghouse:BaseUrl"] = new Uri(_server.BaseAddress, "2024-04-01/change").ToString());

        await client.CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(_server.Received.Single().Path, Is.EqualTo("/2024-04-01/change/medicalnetwork/eligibility/v3"));
    }

    [Test]
    public async Task A_base_address_supplied_at_run_time_is_awaited_and_used()
    {
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var settings = FastSettings(baseUrl: null);
        await using var provider = Build(settings, (_, ct) => new ValueTask<Uri>(address.Task.WaitAsync(ct)));
        var client = provider.GetRequiredService<IClearinghouseClient>();

        var pending = client.CheckEligibilityAsync(Inquiry(), CancellationToken.None);
        await Task.Delay(100);
        Assert.That(pending.IsCompleted, Is.False, "the call waits for the address");
        address.SetResult(_server.BaseAddress);
        var answer = await pending;

        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(_server.Received.Single().Path, Is.EqualTo("/medicalnetwork/eligibility/v3"));
    }

    [Test]
    public async Task A_refused_connection_is_retried_then_fails_as_a_transport_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failure = await CatchUnavailable(Client(s => s["Clearinghouse:BaseUrl"] = $"http://127.0.0.1:{port}/"), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.TransportError));
        Assert.That(failure.IsTransient, Is.True);
        Assert.That(failure.Attempts, Is.EqualTo(4));
    }

    [Test]
    public void Cancellation_by_the_caller_is_not_dressed_up_as_a_failure()
    {
        _server.Always["60054"] = new ScriptedReply(200, Delay: TimeSpan.FromSeconds(5));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        Assert.CatchAsync<OperationCanceledException>(() => Client().CheckEligibilityAsync(Inquiry(), cancel.Token));
    }

    [Test]
    public void A_control_number_that_is_not_nine_digits_is_refused_before_sending()
    {
        Assert.ThrowsAsync<ArgumentException>(() => Client().CheckEligibilityAsync(Inquiry(controlNumber: "12345"), CancellationToken.None));
        Assert.That(_server.Received, Is.Empty);
    }

    [Test]
    public void The_answer_never_prints_its_raw_answer_or_its_coverage()
    {
        const string raw = """{"subscriber":{"memberId":"W100000001"},"planInformation":{"groupNumber":"AET100"}}""";
        var reading = CoverageNormalizer.FromClearinghouseJson(
            """{"subscriber":{"memberId":"W100000001"},"planInformation":{"groupNumber":"AET100"},"benefitsInformation":[{"code":"1","serviceTypeCodes":["30"],"planCoverage":"OPEN ACCESS PLUS"}]}""");
        var answer = new ClearinghouseAnswer(200, reading, raw, TimeSpan.FromMilliseconds(120), 1);

        Assert.That(reading.Coverage?.PlanName, Is.EqualTo("OPEN ACCESS PLUS"), "the reading holds what must not be printed");
        Assert.That(answer.ToString(), Does.Not.Contain("W100000001").And.Not.Contain("AET100").And.Not.Contain("OPEN ACCESS PLUS"));
        Assert.That(answer.ToString(), Does.Contain($"Length = {raw.Length}"));
    }

    private static async Task<ClearinghouseUnavailableException> CatchUnavailable(IClearinghouseClient client, EligibilityInquiry inquiry)
    {
        try
        {
            await client.CheckEligibilityAsync(inquiry, CancellationToken.None);
        }
        catch (ClearinghouseUnavailableException ex)
        {
            Assert.That(ex.Message, Does.Not.Contain(inquiry.MemberId).And.Not.Contain(inquiry.LastName));
            return ex;
        }

        Assert.Fail("Expected ClearinghouseUnavailableException.");
        throw new UnreachableException();
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                Assert.Fail("Timed out waiting for the server.");
            }

            await Task.Delay(10);
        }
    }
}
