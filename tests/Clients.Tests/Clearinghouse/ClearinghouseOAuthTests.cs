using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CoverageCheck.Clients.Clearinghouse;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using static CoverageCheck.Clients.Tests.Clearinghouse.ClearinghouseClientFactory;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>OAuth 2.0 client credentials against a real token endpoint and clearinghouse on loopback.</summary>
public sealed class ClearinghouseOAuthTests
{
    private ScriptedClearinghouse _server = null!;
    private readonly List<ServiceProvider> _providers = [];
    private readonly CapturedLogs _logs = new();

    [SetUp]
    public async Task StartServer()
    {
        _server = await ScriptedClearinghouse.StartAsync();
        _server.RequireBearerToken = true;
    }

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

    private IClearinghouseClient Client(Action<Dictionary<string, string?>>? adjust = null, TimeProvider? timeProvider = null)
    {
        var settings = FastSettings(_server.BaseAddress);
        UseOAuth(settings, _server);
        adjust?.Invoke(settings);
        var provider = Build(settings, configure: services =>
        {
            if (timeProvider is not null)
            {
                services.AddSingleton(timeProvider);
            }

            services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(_logs));
        });
        _providers.Add(provider);
        return provider.GetRequiredService<IClearinghouseClient>();
    }

    [Test]
    public async Task The_first_call_gets_a_token_with_Basic_client_authentication_and_sends_it_as_a_bearer()
    {
        var answer = await Client().CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        var token = _server.Tokens.Requests.Single();
        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(token.ContentType, Does.StartWith("application/x-www-form-urlencoded"));
        Assert.That(token.BasicClientId, Is.EqualTo(_server.Tokens.ClientId));
        Assert.That(token.BasicClientSecret, Is.EqualTo(_server.Tokens.ClientSecret), "id and secret form-url-encoded inside Basic (RFC 6749 2.3.1)");
        Assert.That(token.Form, Does.Not.ContainKey("client_secret"));
        Assert.That(token.Form["grant_type"], Is.EqualTo("client_credentials"));
        Assert.That(token.Form["scope"], Is.EqualTo("eligibility hipaa"));
        Assert.That(_server.Received.Single().Authorization, Is.EqualTo("Bearer " + _server.Tokens.Issued.Single()));
    }

    [Test]
    public async Task PostBody_sends_the_client_credentials_as_form_fields_and_no_Authorization_header()
    {
        var answer = await Client(s => s["Clearinghouse:OAuth:ClientCredentialStyle"] = "PostBody").CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        var token = _server.Tokens.Requests.Single();
        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(token.BasicClientId, Is.Null);
        Assert.That(token.Form["client_id"], Is.EqualTo(_server.Tokens.ClientId));
        Assert.That(token.Form["client_secret"], Is.EqualTo(_server.Tokens.ClientSecret));
        Assert.That(token.Form["grant_type"], Is.EqualTo("client_credentials"));
        Assert.That(token.Form["scope"], Is.EqualTo("eligibility hipaa"));
        Assert.That(_server.Received.Single().Authorization, Is.EqualTo("Bearer " + _server.Tokens.Issued.Single()));
    }

    [Test]
    public async Task Without_a_scope_none_is_sent()
    {
        await Client(s => s["Clearinghouse:OAuth:Scope"] = null).CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(_server.Tokens.Requests.Single().Form, Does.Not.ContainKey("scope"));
    }

    [Test]
    public async Task Concurrent_calls_with_no_token_share_one_token_request()
    {
        _server.Tokens.Delay = TimeSpan.FromMilliseconds(300);
        var client = Client();

        var answers = await Task.WhenAll(Enumerable.Range(0, 25).Select(i =>
            client.CheckEligibilityAsync(Inquiry(controlNumber: $"{i + 1:000000000}"), CancellationToken.None)));

        Assert.That(answers.Select(a => a.StatusCode), Is.All.EqualTo(200));
        Assert.That(_server.Tokens.Requests, Has.Count.EqualTo(1));
        Assert.That(_server.Received.Select(r => r.Authorization).Distinct(), Is.EqualTo(new[] { "Bearer " + _server.Tokens.Issued.Single() }));
    }

    [TestCase(3600, 3540, TestName = "A one-hour token is reused for 59 minutes")]
    [TestCase(60, 30, TestName = "A one-minute token is reused for half its life")]
    public async Task The_token_is_reused_until_the_safety_margin_before_expiry_then_refreshed(int expiresIn, int reuseSeconds)
    {
        _server.Tokens.ExpiresIn = expiresIn;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
        var client = Client(timeProvider: clock);

        await client.CheckEligibilityAsync(Inquiry(), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(reuseSeconds - 1));
        await client.CheckEligibilityAsync(Inquiry(controlNumber: "000000002"), CancellationToken.None);
        Assert.That(_server.Tokens.Requests, Has.Count.EqualTo(1), "still inside the reuse window");

        clock.Advance(TimeSpan.FromSeconds(1));
        await client.CheckEligibilityAsync(Inquiry(controlNumber: "000000003"), CancellationToken.None);

        Assert.That(_server.Tokens.Requests, Has.Count.EqualTo(2));
        Assert.That(_server.Received.Select(r => r.Authorization), Is.EqualTo(new[]
        {
            "Bearer " + _server.Tokens.Issued[0], "Bearer " + _server.Tokens.Issued[0], "Bearer " + _server.Tokens.Issued[1],
        }));
    }

    [Test]
    public async Task A_401_to_a_cached_token_gets_a_new_token_and_resends_the_same_body_once()
    {
        var client = Client();
        await client.CheckEligibilityAsync(Inquiry(), CancellationToken.None);
        _server.Tokens.RevokeAll();

        var answer = await client.CheckEligibilityAsync(Inquiry(controlNumber: "000000002"), CancellationToken.None);

        var second = _server.Received.Skip(1).ToArray();
        Assert.That(answer.StatusCode, Is.EqualTo(200));
        Assert.That(answer.Attempts, Is.EqualTo(2), "the refused send and the resend");
        Assert.That(_server.Tokens.Requests, Has.Count.EqualTo(2));
        Assert.That(second.Select(r => r.Authorization), Is.EqualTo(new[] { "Bearer " + _server.Tokens.Issued[0], "Bearer " + _server.Tokens.Issued[1] }));
        Assert.That(second[1].Body, Is.EqualTo(second[0].Body).And.Contain("\"controlNumber\":\"000000002\""));
    }

    [Test]
    public async Task A_second_401_after_the_refresh_is_the_answer_and_is_not_looped()
    {
        var client = Client();
        await client.CheckEligibilityAsync(Inquiry(), CancellationToken.None);
        _server.Script("60054", new ScriptedReply(401, """{"message":"Unauthorized"}"""), new ScriptedReply(401, """{"message":"Unauthorized"}"""));

        var failure = await CatchUnavailable(client, Inquiry(controlNumber: "000000002"));

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Unauthorized));
        Assert.That(failure.IsTransient, Is.False);
        Assert.That(failure.StatusCode, Is.EqualTo(401));
        Assert.That(failure.Message, Does.Contain("Clearinghouse:OAuth:ClientId"));
        Assert.That(failure.Attempts, Is.EqualTo(2));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(3), "one first call, then the refused send and one resend");
        Assert.That(_server.Tokens.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task A_401_to_a_token_fetched_for_this_call_is_not_resent()
    {
        _server.Script("60054", new ScriptedReply(401, """{"message":"Unauthorized"}"""));

        var failure = await CatchUnavailable(Client(), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Unauthorized));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1));
        Assert.That(_server.Tokens.Requests, Has.Count.EqualTo(1));
    }

    [TestCase("BasicAuthentication", 401)]
    [TestCase("PostBody", 400)]
    public async Task Refused_client_credentials_are_a_non_transient_Unauthorized_failure_naming_the_settings_not_their_values(string style, int tokenStatus)
    {
        const string wrongSecret = "wr0ng-Secret-value-91";
        var client = Client(s => { s["Clearinghouse:OAuth:ClientCredentialStyle"] = style; s["Clearinghouse:OAuth:ClientSecret"] = wrongSecret; });

        var failure = await CatchUnavailable(client, Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Unauthorized));
        Assert.That(failure.IsTransient, Is.False);
        Assert.That(failure.Attempts, Is.EqualTo(0));
        Assert.That(_server.Received, Is.Empty, "no token, nothing sent to the clearinghouse");
        Assert.That(_server.Tokens.Requests, Has.Count.EqualTo(1), "a refusal is not retried inline");
        Assert.That(failure.Message, Does.Contain("Clearinghouse:OAuth:ClientId").And.Contain("Clearinghouse:OAuth:ClientSecret").And.Contain($"{tokenStatus} invalid_client"));
        var everything = Everything(failure);
        Assert.That(everything, Does.Not.Contain(_server.Tokens.ClientId).And.Not.Contain(wrongSecret));
        Assert.That(_logs.Text, Does.Not.Contain(_server.Tokens.ClientId).And.Not.Contain(wrongSecret));
    }

    [Test]
    public async Task A_token_endpoint_503_is_a_transient_failure_and_the_next_call_gets_a_token()
    {
        _server.Tokens.Script(new ScriptedReply(503, RetryAfter: "20"));
        var client = Client();

        var failure = await CatchUnavailable(client, Inquiry());
        var later = await client.CheckEligibilityAsync(Inquiry(controlNumber: "000000002"), CancellationToken.None);

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.ServerError));
        Assert.That(failure.IsTransient, Is.True);
        Assert.That(failure.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(20)));
        Assert.That(failure.Attempts, Is.EqualTo(0));
        Assert.That(failure.Message, Does.Contain("token endpoint"));
        Assert.That(later.StatusCode, Is.EqualTo(200));
        Assert.That(_server.RequestsFor("60054"), Is.EqualTo(1), "only the second call reached the clearinghouse");
    }

    [Test]
    public async Task A_token_endpoint_that_does_not_answer_in_time_is_a_transient_timeout()
    {
        _server.Tokens.Delay = TimeSpan.FromSeconds(5);
        var clock = Stopwatch.StartNew();

        var failure = await CatchUnavailable(Client(s => s["Clearinghouse:OAuth:Timeout"] = "00:00:00.300"), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.Timeout));
        Assert.That(failure.IsTransient, Is.True);
        Assert.That(failure.Message, Does.Contain("token endpoint"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(3)));
        Assert.That(_server.Received, Is.Empty);
    }

    [Test]
    public async Task An_unreachable_token_endpoint_is_a_transient_transport_error()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var failure = await CatchUnavailable(Client(s => s["Clearinghouse:OAuth:TokenUrl"] = $"http://127.0.0.1:{port}/oauth2/token"), Inquiry());

        Assert.That(failure.Reason, Is.EqualTo(ClearinghouseFailureReason.TransportError));
        Assert.That(failure.IsTransient, Is.True);
        Assert.That(_server.Received, Is.Empty);
    }

    [Test]
    public async Task Neither_the_secret_nor_a_token_is_logged()
    {
        var client = Client();
        await client.CheckEligibilityAsync(Inquiry(), CancellationToken.None);
        _server.Tokens.RevokeAll();
        await client.CheckEligibilityAsync(Inquiry(controlNumber: "000000002"), CancellationToken.None);

        Assert.That(_logs.Text, Does.Contain("OAuth token obtained"), "the sink saw the client's logs");
        Assert.That(_logs.Text, Does.Not.Contain(_server.Tokens.ClientSecret));
        foreach (var token in _server.Tokens.Issued)
        {
            Assert.That(_logs.Text, Does.Not.Contain(token));
        }
    }

    [Test]
    public async Task The_API_key_mode_sends_no_token_request()
    {
        _server.RequireBearerToken = false;
        var client = Client(s =>
        {
            foreach (var key in s.Keys.Where(k => k.StartsWith("Clearinghouse:OAuth:", StringComparison.Ordinal)).ToArray())
            {
                s.Remove(key);
            }

            s["Clearinghouse:ApiKey"] = "test_sk_4f1c9a";
        });

        await client.CheckEligibilityAsync(Inquiry(), CancellationToken.None);

        Assert.That(_server.Received.Single().Authorization, Is.EqualTo("test_sk_4f1c9a"));
        Assert.That(_server.Tokens.Requests, Is.Empty);
    }

    private static string Everything(Exception exception)
    {
        var text = new StringBuilder();
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            text.AppendLine(e.Message);
        }

        return text.Append(exception).ToString();
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

    /// <summary>Every log line at every level, formatted, with its exception.</summary>
    private sealed class CapturedLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public string Text => string.Join('\n', _lines);

        public ILogger CreateLogger(string categoryName) => new Sink(this);

        public void Dispose()
        {
        }

        private sealed class Sink(CapturedLogs logs) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs._lines.Enqueue($"{logLevel} {formatter(state, exception)} {exception}");
        }
    }
}
