using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CoverageCheck.Service.Tests.Verifications;
using Microsoft.Extensions.Time.Testing;

namespace CoverageCheck.Service.Tests.Intake;

/// <summary>
/// The website intake's abuse rules (issue #18): the form token (once, not too fast, not too old, the work done), the
/// honeypot, the size and rate limits, and answers that say nothing about the person, in content or timing.
/// </summary>
internal sealed class IntakeAbuseTests
{
    private static async Task<int> StoredRequestsAsync(VerificationsHost host)
    {
        using var admissions = host.Client(TestApiKeys.Admissions);
        var list = await admissions.GetFromJsonAsync<JsonObject>("/api/v1/intake/requests");
        return list!["items"]!.AsArray().Count;
    }

    [Test]
    public async Task The_consent_names_each_element_of_42_CFR_2_31_and_comes_with_a_challenge()
    {
        using var host = new VerificationsHost(IntakeClient.Settings(("Provider:Name", "Sunrise Recovery IOP"), ("Provider:Phone", "(555) 010-2000")));
        using var client = host.Client(apiKey: null);

        var consent = await IntakeClient.ConsentAsync(client);
        var text = (string)consent["text"]!;
        var elements = consent["elements"]!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That((string?)consent["version"], Is.Not.Empty);
            Assert.That(elements.Select(e => e.Key), Is.EquivalentTo(new[] { "discloser", "recipient", "information", "purpose", "expiry", "revocation", "signature" }));
            Assert.That(text, Does.Contain("substance use disorder"));
            Assert.That(text, Does.Contain("revoke"));
            Assert.That((string?)elements["discloser"], Does.StartWith("Sunrise Recovery IOP"));
            Assert.That((string?)elements["revocation"], Does.Contain("(555) 010-2000"));
            Assert.That((string?)elements["recipient"], Does.Contain("clearinghouse"));
            Assert.That((string?)elements["expiry"], Does.Contain("one year"));
            Assert.That((int?)consent["challenge"]!["difficulty"], Is.InRange(1, 4));
            Assert.That((string?)consent["formToken"], Has.Length.GreaterThan(20));
        });
    }

    [Test]
    public async Task A_form_token_is_refused_when_sent_too_fast_too_late_or_twice()
    {
        var clock = new FakeTimeProvider(TestClock.Start);
        using var host = new VerificationsHost(IntakeClient.Settings(), clock);
        using var client = host.Client(apiKey: null);

        var consent = await IntakeClient.ConsentAsync(client);
        var body = IntakeClient.Request(consent);
        clock.Advance(TimeSpan.FromSeconds(1));
        using (var tooFast = await client.PostAsJsonAsync("/api/v1/intake", body))
        {
            Assert.That(tooFast.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            var problem = await VerificationsHost.ReadAsync(tooFast);
            Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "form.token" }));
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        using (var accepted = await client.PostAsJsonAsync("/api/v1/intake", body))
        {
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await accepted.Content.ReadAsStringAsync());
        }

        using (var again = await client.PostAsJsonAsync("/api/v1/intake", body))
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await VerificationsHost.ReadAsync(again))["errors"]!["form.token"], Is.Not.Null);
        }

        var late = await IntakeClient.ConsentAsync(client);
        clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromMinutes(1));
        using (var tooOld = await client.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(late)))
        {
            Assert.That(tooOld.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await VerificationsHost.ReadAsync(tooOld))["errors"]!["form.token"], Is.Not.Null);
        }

        var unsolved = await IntakeClient.ConsentAsync(client);
        clock.Advance(TimeSpan.FromSeconds(10));
        using (var wrong = await client.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(unsolved, form: new { token = (string?)unsolved["formToken"], solution = "x" })))
        {
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        }

        Assert.That(await StoredRequestsAsync(host), Is.EqualTo(1));
    }

    [Test]
    public async Task A_filled_honeypot_gets_the_same_answer_and_nothing_is_stored()
    {
        using var host = new VerificationsHost(IntakeClient.Settings(("Intake:MinimumFillTime", "00:00:00")));
        using var client = host.Client(apiKey: null);

        using var response = await client.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(await IntakeClient.ConsentAsync(client), website: "http://spam.example"));
        var body = await VerificationsHost.ReadAsync(response);
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
            Assert.That(body.Select(e => e.Key), Is.EqualTo(new[] { "reference", "message" }));
            Assert.That((string?)body["message"], Is.EqualTo("Thank you. Our admissions team will call you."));
        });
        Assert.That(await StoredRequestsAsync(host), Is.Zero);
    }

    [Test]
    public async Task Bad_fields_are_named_without_their_values()
    {
        using var host = new VerificationsHost(IntakeClient.Settings(("Intake:MinimumFillTime", "00:00:00")));
        using var client = host.Client(apiKey: null);
        var consent = await IntakeClient.ConsentAsync(client);
        var bad = new
        {
            patient = new { firstName = "ZELDA", lastName = "", dateOfBirth = "2090-01-01" },
            insurance = new { payerId = "60054", memberId = "SECRET<>ID" },
            contact = new { phone = "12345", mayLeaveMessage = true },
            consent = new { version = (string?)consent["version"], signature = "" },
            form = IntakeClient.Form(consent),
            website = "",
        };

        using var response = await client.PostAsJsonAsync("/api/v1/intake", bad);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = JsonNode.Parse(text)!["errors"]!.AsObject().Select(e => e.Key);
        Assert.That(errors, Is.EquivalentTo(new[] { "patient.lastName", "patient.dateOfBirth", "insurance.memberId", "contact.phone", "consent.signature" }));
        Assert.That(text, Does.Not.Contain("SECRET").And.Not.Contain("12345").And.Not.Contain("ZELDA").And.Not.Contain("2090"));
    }

    [Test]
    public async Task A_body_over_the_limit_is_413()
    {
        using var host = new VerificationsHost(IntakeClient.Settings());
        using var client = host.Client(apiKey: null);
        var huge = "{\"website\":\"" + new string('a', 20_000) + "\"}";
        using var content = new StringContent(huge, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/api/v1/intake", content);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.RequestEntityTooLarge));
    }

    [Test]
    public async Task The_per_address_limit_refuses_with_429_and_Retry_After()
    {
        using var host = new VerificationsHost(IntakeClient.Settings(("Intake:PermitsPerAddress", "2"), ("Intake:MinimumFillTime", "00:00:00")));
        using var client = host.Client(apiKey: null);
        var consent = await IntakeClient.ConsentAsync(client);

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await client.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(consent, website: "bot"));
            Assert.That(allowed.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        }

        using var refused = await client.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(consent, website: "bot"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(refused.Headers.RetryAfter, Is.Not.Null);
    }

    [Test]
    public async Task The_global_limit_applies_across_addresses()
    {
        using var host = new VerificationsHost(IntakeClient.Settings(("Intake:GlobalPermits", "1"), ("Intake:MinimumFillTime", "00:00:00")));
        using var client = host.Client(apiKey: null);
        var consent = await IntakeClient.ConsentAsync(client);

        using var first = await client.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(consent, website: "bot"));
        using var second = await client.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(consent, website: "bot"));
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task A_known_and_an_unknown_member_get_identical_answers_in_similar_time()
    {
        using var host = new VerificationsHost(IntakeClient.Settings(("Intake:MinimumFillTime", "00:00:00"), ("Intake:PermitsPerAddress", "100")));
        using var client = host.Client(apiKey: null);

        // Warm up the pipeline so the first measured call does not pay for start-up.
        using (await client.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(await IntakeClient.ConsentAsync(client), first: "WARM", last: "UP", memberId: "W1")))
        {
        }

        var known = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        var shapes = new HashSet<string>();
        for (var i = 0; i < 3; i++)
        {
            foreach (var (person, times) in new[] { (("AVA", "PPOSAMPLE", "W100000001"), known), (("NOBODY", "UNKNOWNPERSON", "ZZ999999999"), unknown) })
            {
                var consent = await IntakeClient.ConsentAsync(client);
                var started = Stopwatch.GetTimestamp();
                using var response = await client.PostAsJsonAsync("/api/v1/intake", IntakeClient.Request(consent, first: person.Item1, last: person.Item2, memberId: person.Item3));
                times.Add(Stopwatch.GetElapsedTime(started));
                var body = await VerificationsHost.ReadAsync(response);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
                Assert.That((string)body["reference"]!, Does.Match("^W-[A-Z2-9]{8}$"));
                shapes.Add($"{(int)response.StatusCode}|{string.Join(',', body.Select(e => e.Key))}|{body["message"]}");
            }
        }

        Assert.That(shapes, Has.Count.EqualTo(1), string.Join("\n", shapes));
        var knownMedian = known.Order().ElementAt(1);
        var unknownMedian = unknown.Order().ElementAt(1);
        // Queued, never real time: neither waits on the payer. A real-time check would take the sandbox's answer time.
        Assert.That((knownMedian - unknownMedian).Duration(), Is.LessThan(TimeSpan.FromMilliseconds(500)), $"known {knownMedian}, unknown {unknownMedian}");
    }

    [Test]
    public async Task CORS_allows_the_website_origin_and_refuses_another()
    {
        using var host = new VerificationsHost(IntakeClient.Settings());
        using var client = host.Client(apiKey: null);

        foreach (var (origin, allowed) in new[] { (IntakeClient.AllowedOrigin, true), ("https://evil.example", false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/intake");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
            using var response = await client.SendAsync(preflight);
            Assert.That(response.Headers.Contains("Access-Control-Allow-Origin"), Is.EqualTo(allowed), origin);

            using var get = new HttpRequestMessage(HttpMethod.Get, "/api/v1/intake/consent");
            get.Headers.Add("Origin", origin);
            using var consent = await client.SendAsync(get);
            Assert.That(consent.Headers.Contains("Access-Control-Allow-Origin"), Is.EqualTo(allowed), origin);
        }
    }
}
