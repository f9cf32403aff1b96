using System.Net;
using System.Net.Http.Headers;
using CoverageCheck.Clients.Clearinghouse;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.Timeout;

namespace CoverageCheck.Clients.Tests.Clearinghouse;

/// <summary>Our retry and breaker rules, on a fake clock (not Polly's mechanics: those run in the HTTP tests).</summary>
public sealed class ClearinghouseRetryRulesTests
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(30);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero));

    private static Outcome<HttpResponseMessage> Answer(HttpStatusCode status, RetryConditionHeaderValue? retryAfter = null)
    {
        var response = new HttpResponseMessage(status);
        response.Headers.RetryAfter = retryAfter;
        return Outcome.FromResult(response);
    }

    [Test]
    public void Retry_After_as_an_HTTP_date_is_read_against_the_clock()
    {
        var header = new RetryConditionHeaderValue(_clock.GetUtcNow().AddSeconds(90));

        Assert.That(ClearinghouseResilience.RetryAfter(header, _clock), Is.EqualTo(TimeSpan.FromSeconds(90)));
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(ClearinghouseResilience.RetryAfter(header, _clock), Is.EqualTo(TimeSpan.Zero), "a date in the past means now");
    }

    [Test]
    public void Retry_After_in_seconds_is_read_as_is() =>
        Assert.That(ClearinghouseResilience.RetryAfter(new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), _clock), Is.EqualTo(TimeSpan.FromSeconds(7)));

    [TestCase(HttpStatusCode.RequestTimeout, true)]
    [TestCase(HttpStatusCode.TooManyRequests, true)]
    [TestCase(HttpStatusCode.InternalServerError, true)]
    [TestCase(HttpStatusCode.BadGateway, true)]
    [TestCase(HttpStatusCode.ServiceUnavailable, true)]
    [TestCase(HttpStatusCode.GatewayTimeout, true)]
    [TestCase(HttpStatusCode.BadRequest, false)]
    [TestCase(HttpStatusCode.Unauthorized, false)]
    [TestCase(HttpStatusCode.NotFound, false)]
    [TestCase(HttpStatusCode.NotImplemented, false)]
    [TestCase(HttpStatusCode.OK, false)]
    public void Only_transport_faults_are_retried(HttpStatusCode status, bool retried) =>
        Assert.That(ClearinghouseResilience.IsRetryable(Answer(status), MaxRetryAfter, _clock), Is.EqualTo(retried));

    [Test]
    public void A_wait_longer_than_MaxRetryAfter_is_not_retried_inline()
    {
        var soon = Answer(HttpStatusCode.TooManyRequests, new RetryConditionHeaderValue(TimeSpan.FromSeconds(30)));
        var late = Answer(HttpStatusCode.TooManyRequests, new RetryConditionHeaderValue(_clock.GetUtcNow().AddMinutes(2)));

        Assert.That(ClearinghouseResilience.IsRetryable(soon, MaxRetryAfter, _clock), Is.True);
        Assert.That(ClearinghouseResilience.IsRetryable(late, MaxRetryAfter, _clock), Is.False);
    }

    [Test]
    public void Connection_failures_and_attempt_timeouts_are_retried_and_connection_failures_count_against_the_payer()
    {
        var refused = Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused"));
        var timedOut = Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException());
        var other = Outcome.FromException<HttpResponseMessage>(new InvalidOperationException());

        Assert.That(ClearinghouseResilience.IsRetryable(refused, MaxRetryAfter, _clock), Is.True);
        Assert.That(ClearinghouseResilience.IsRetryable(timedOut, MaxRetryAfter, _clock), Is.True);
        Assert.That(ClearinghouseResilience.IsRetryable(other, MaxRetryAfter, _clock), Is.False);
        Assert.That(ClearinghouseResilience.IsPayerFault(refused), Is.True);
        Assert.That(ClearinghouseResilience.IsPayerFault(timedOut), Is.False, "a timeout of ours is judged by SlowInquiries (issue #14)");
    }

    [Test]
    public void A_429_is_retried_but_does_not_count_against_the_payers_breaker()
    {
        Assert.That(ClearinghouseResilience.IsPayerFault(Answer(HttpStatusCode.TooManyRequests)), Is.False);
        Assert.That(ClearinghouseResilience.IsPayerFault(Answer(HttpStatusCode.ServiceUnavailable)), Is.True);
        Assert.That(ClearinghouseResilience.IsPayerFault(Answer(HttpStatusCode.BadRequest)), Is.False);
    }

    [TestCase("""{"errors":[{"code":"72"}]}""", true)]
    [TestCase("""{"subscriber":{"aaaErrors":[{"code":"75"}]},"errors":[]}""", true)]
    [TestCase("""{"payer":{"aaaErrors":[{"code":"42"}]}}""", true)]
    [TestCase("""{"errors":[]}""", false)]
    [TestCase("""{"message":"controlNumber is required","code":"BAD_REQUEST"}""", false)]
    [TestCase("<html>Bad Request</html>", false)]
    [TestCase("[]", false)]
    public void A_400_is_an_answer_only_when_it_carries_AAA_errors(string body, bool answer) =>
        Assert.That(ClearinghouseClient.CarriesAaaErrors(body), Is.EqualTo(answer));

    [Test]
    public void Timeouts_count_against_the_payer_only_once_several_distinct_inquiries_timed_out_within_the_window_issue_14()
    {
        var slow = new SlowInquiries(threshold: 3, window: TimeSpan.FromMinutes(3), _clock);

        Assert.That(slow.Record("000000001"), Is.False);
        Assert.That(slow.Record("000000001"), Is.False, "the same inquiry again is still one slow member");
        Assert.That(slow.Record("000000002"), Is.False);
        Assert.That(slow.Record("000000003"), Is.True, "three distinct inquiries: the payer is slow");

        _clock.Advance(TimeSpan.FromMinutes(4));
        Assert.That(slow.Record("000000004"), Is.False, "the earlier ones left the window");
    }
}
