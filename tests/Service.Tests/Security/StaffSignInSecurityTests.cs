using System.Net;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Features.Users;
using CoverageCheck.Service.Tests.Pages;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>Issue #14, the staff sign-in as an attacker would try it: redirects, the throttle, logs, the session's end, the audit trail.</summary>
internal sealed class StaffSignInSecurityTests
{
    private const string Password = PagesHost.Password;

    private readonly CapturingLoggerProvider _log = new();
    private ServiceApplication _app = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        // Every category at Trace: appsettings.json holds Microsoft.AspNetCore at Warning, and a category rule beats a filter.
        _app = new ServiceApplication(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Trace",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace",
            // Long enough that no wait runs out during the test.
            ["Auth:SignInThrottle:BaseDelay"] = "00:01:00",
        })
        {
            ConfigureHost = builder =>
            {
                StaffClient.UseClientAddresses(builder);
                builder.ConfigureLogging(logging =>
                {
                    logging.AddProvider(_log);
                    logging.SetMinimumLevel(LogLevel.Trace);
                    logging.AddFilter((_, _) => true);
                });
            },
        };
        _ = _app.Server;
        foreach (var name in new[] { "redirect.user", "log.user", "guessed.user", "sprayed.user", "signout.user", "audit.user", "disabled.user" })
        {
            await AddUserAsync(name);
        }
    }

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    [Test]
    public async Task Issue14_a_tab_in_the_return_url_of_the_single_sign_on_landing_page_never_leaves_the_site()
    {
        using var client = StaffClient.For(_app);
        using var response = await client.Http.GetAsync("/staff/signed-in?returnUrl=%2F%09%2F127.0.0.1:8999%2Fx");
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Not.Contain("127.0.0.1:8999"), "browsers drop the tab and go to //127.0.0.1:8999/x");
        Assert.That(html, Does.Contain("url=/staff\""));
    }

    [TestCase("/\t/127.0.0.1:8999/x")]
    [TestCase("/\\127.0.0.1:8999/x")]
    [TestCase("//127.0.0.1:8999/x")]
    [TestCase("/\r\n/evil.example")]
    public async Task Issue14_a_correct_sign_in_with_a_foreign_return_url_goes_home_and_never_answers_500(string returnUrl)
    {
        using var client = StaffClient.For(_app, "10.1.0.1");
        using var response = await client.SignInAsync("redirect.user", Password, returnUrl);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/staff"));
    }

    [Test]
    public async Task A_local_return_url_is_kept()
    {
        using var client = StaffClient.For(_app, "10.1.0.2");
        using var response = await client.SignInAsync("redirect.user", Password, "/staff/queue?status=queued");
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/staff/queue?status=queued"));
    }

    [Test]
    public async Task Issue14_the_password_never_reaches_a_log_even_at_trace_level()
    {
        const string wrong = "wrong-but-secret-Password-77";
        using var client = StaffClient.For(_app, "10.2.0.1");

        Assert.That(await client.SignInStatusAsync("log.user", wrong), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await client.SignInStatusAsync("log.user", Password), Is.EqualTo(HttpStatusCode.Redirect));

        var text = _log.AllText;
        Assert.That(text, Does.Contain("/staff/sign-in"), "the sink saw the sign-in requests at trace level");
        Assert.That(text, Does.Not.Contain(Password));
        Assert.That(text, Does.Not.Contain(wrong));
    }

    [Test]
    public async Task Issue14_wrong_passwords_from_one_address_never_lock_the_right_password_out_from_another()
    {
        using var attacker = StaffClient.For(_app, "10.3.0.66");
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            answers.Add(await attacker.SignInStatusAsync("guessed.user", "wrong-password-" + i));
        }

        using var staff = StaffClient.For(_app, "10.3.0.1");
        Assert.That(answers.Take(3), Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(answers.Last(), Is.EqualTo(HttpStatusCode.TooManyRequests), "the attacker slows down");
        Assert.That(await staff.SignInStatusAsync("guessed.user", Password), Is.EqualTo(HttpStatusCode.Redirect), "a fresh address still signs in");
    }

    [Test]
    public async Task Issue14_failures_with_made_up_names_never_lock_out_the_staff_on_that_address()
    {
        using var office = StaffClient.For(_app, "10.4.0.1");
        for (var i = 0; i < 25; i++)
        {
            Assert.That(await office.SignInStatusAsync($"made.up.{i}", "wrong-password"), Is.EqualTo(HttpStatusCode.Unauthorized));
        }

        Assert.That(await office.SignInStatusAsync("sprayed.user", Password), Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task Issue14_a_session_cookie_copied_before_sign_out_no_longer_works()
    {
        using var browser = StaffClient.For(_app, "10.5.0.1");
        using var signIn = await browser.SignInAsync("signout.user", Password);
        var cookie = SessionCookie(signIn);
        Assert.That(await StatusWithCookieAsync(cookie), Is.EqualTo(HttpStatusCode.OK), "the copy works while signed in");

        using var signOut = await browser.SignOutAsync();

        Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await StatusWithCookieAsync(cookie), Is.EqualTo(HttpStatusCode.Redirect), "the copy is sent to sign in");
    }

    [Test]
    public async Task Issue14_sign_ins_are_audited_without_the_password_and_say_a_local_user_acted()
    {
        const string wrong = "audit-wrong-Password-99";
        using var client = StaffClient.For(_app, "10.6.0.1");
        Assert.That(await client.SignInStatusAsync("audit.user", wrong), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await client.SignInStatusAsync("audit.user", Password), Is.EqualTo(HttpStatusCode.Redirect));

        var rows = await AuditRowsAsync("audit.user");
        Assert.That(rows.Select(r => r.Action), Is.EqualTo(new[] { "sign-in-failed", "sign-in" }));
        Assert.That(rows.Last().ActorKind, Is.EqualTo("local-user"));
        Assert.That(string.Join("|", rows.Select(r => r.ToString())), Does.Not.Contain(wrong).And.Not.Contain(Password));
    }

    [Test]
    public async Task Issue14_users_disable_ends_the_accounts_open_sessions_at_once()
    {
        using var browser = StaffClient.For(_app, "10.7.0.1");
        using var signIn = await browser.SignInAsync("disabled.user", Password);
        var cookie = SessionCookie(signIn);
        Assert.That(await StatusWithCookieAsync(cookie), Is.EqualTo(HttpStatusCode.OK));

        var (exit, output, error) = await RunUsersAsync("users", "disable", "disabled.user");
        var (_, help, _) = await RunUsersAsync("users", "disable", "--help");

        Assert.That((exit, error), Is.EqualTo((0, "")), output);
        Assert.That(await StatusWithCookieAsync(cookie), Is.EqualTo(HttpStatusCode.Redirect), "the open session has ended");
        Assert.That(await browser.SignInStatusAsync("disabled.user", Password), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(help, Does.Contain("Disable a staff account"));
        Assert.That((await RunUsersAsync("users", "disable", "no.such.user")).Exit, Is.EqualTo(1));
    }

    [Test]
    public async Task Issue14_an_older_hash_is_upgraded_to_PBKDF2_SHA256_at_600000_iterations_on_the_next_sign_in()
    {
        // As the service hashed before: ASP.NET Core Identity's default, PBKDF2-HMAC-SHA512 at 100,000 iterations.
        var legacy = new Microsoft.AspNetCore.Identity.PasswordHasher<StaffUser>().HashPassword(null!, Password);
        await ExecuteAsync(
            "INSERT INTO users (username, password_hash, roles, created_at, disabled) VALUES ('legacy.user', $hash, 'admissions', '2026-01-01T00:00:00.0000000+00:00', 0)",
            ("$hash", legacy));
        Assert.That(Header(legacy), Is.EqualTo((2u, 100_000u)), "SHA-512, 100,000");

        using var client = StaffClient.For(_app, "10.8.0.1");
        Assert.That(await client.SignInStatusAsync("legacy.user", Password), Is.EqualTo(HttpStatusCode.Redirect));

        var upgraded = await ScalarAsync("SELECT password_hash FROM users WHERE username = 'legacy.user'");
        Assert.That(upgraded, Is.Not.EqualTo(legacy));
        Assert.That(Header(upgraded), Is.EqualTo((1u, 600_000u)), "SHA-256, 600,000");
        Assert.That(await client.SignInStatusAsync("legacy.user", Password), Is.EqualTo(HttpStatusCode.Redirect), "the new hash verifies");
        Assert.That(await ScalarAsync("SELECT password_hash FROM users WHERE username = 'legacy.user'"), Is.EqualTo(upgraded), "and needs no second upgrade");
    }

    [Test]
    public async Task New_accounts_are_hashed_with_PBKDF2_SHA256_at_600000_iterations()
    {
        Assert.That(Header(await ScalarAsync("SELECT password_hash FROM users WHERE username = 'redirect.user'")), Is.EqualTo((1u, 600_000u)));
    }

    [Test]
    public void The_audit_trail_tells_an_api_key_a_local_user_and_an_sso_user_apart()
    {
        static System.Security.Claims.ClaimsPrincipal Principal(string scheme, string? method)
        {
            var identity = new System.Security.Claims.ClaimsIdentity(scheme, System.Security.Claims.ClaimTypes.Name, System.Security.Claims.ClaimTypes.Role);
            identity.AddClaim(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, "someone"));
            if (method is not null)
            {
                identity.AddClaim(new System.Security.Claims.Claim(StaffAuthentication.SignInMethodClaim, method));
            }

            return new System.Security.Claims.ClaimsPrincipal(identity);
        }

        Assert.That(CoverageCheck.Service.Security.AccessContext.For(Principal("ApiKey", null), "x").ActorKind, Is.EqualTo("api-key"));
        Assert.That(CoverageCheck.Service.Security.AccessContext.For(Principal("Cookies", "pwd"), "x").ActorKind, Is.EqualTo("local-user"));
        Assert.That(CoverageCheck.Service.Security.AccessContext.For(Principal("Cookies", "oidc"), "x").ActorKind, Is.EqualTo("sso-user"));
        Assert.That(CoverageCheck.Service.Security.AccessContext.For(Principal("AuthenticationTypes.Federation", null), "x").ActorKind, Is.EqualTo("bearer-token"));
        Assert.That(CoverageCheck.Service.Security.AccessContext.For(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity()), "x").ActorKind, Is.EqualTo("anonymous"));
        Assert.That(CoverageCheck.Service.Security.AccessContext.ForWorker("w1").ActorKind, Is.EqualTo("worker"));
    }

    [Test]
    public async Task An_api_key_callers_audit_rows_say_api_key()
    {
        using var client = _app.CreateClient(TestApiKeys.Admissions);
        var verification = new
        {
            patient = new { firstName = "JANE", lastName = "DOE", dateOfBirth = "1985-04-12" },
            insurance = new { payerId = "60054", memberId = "W123456789" },
            dateOfService = TestClock.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            consent = new { obtained = true, method = "verbal" },
        };
        using var response = await client.PostAsync("/api/v1/verifications", System.Net.Http.Json.JsonContent.Create(verification));
        Assert.That((int)response.StatusCode, Is.EqualTo(201).Or.EqualTo(202), await response.Content.ReadAsStringAsync());

        Assert.That(
            await ScalarAsync("SELECT k.actor_kind FROM audit_log a JOIN audit_actor_kinds k ON k.audit_id = a.id WHERE a.actor = 'test-admissions' ORDER BY a.id DESC LIMIT 1"),
            Is.EqualTo("api-key"));
    }

    private static (uint Prf, uint Iterations) Header(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.That(bytes[0], Is.EqualTo(1), "Identity's version 3 format");
        return (System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)), System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
    }

    private async Task<string> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_app.DataDirectory, "coveragecheck.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql, params (string Name, string Value)[] parameters)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_app.DataDirectory, "coveragecheck.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<(int Exit, string Output, string Error)> RunUsersAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Directory"] = _app.DataDirectory })
            .Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(args, configuration, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private async Task<HttpStatusCode> StatusWithCookieAsync(string cookie)
    {
        using var copy = _app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/staff/queue");
        request.Headers.Add("Cookie", cookie);
        using var response = await copy.SendAsync(request);
        return response.StatusCode;
    }

    internal static string SessionCookie(HttpResponseMessage signIn) =>
        signIn.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.Contains(StaffAuthentication.CookieName + "=", StringComparison.Ordinal));

    private async Task<IReadOnlyList<AuditRow>> AuditRowsAsync(string userName)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_app.DataDirectory, "coveragecheck.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.action, a.actor, k.actor_kind, a.record_type, a.record_id, a.purpose
            FROM audit_log a
            LEFT JOIN audit_actor_kinds k ON k.audit_id = a.id
            WHERE a.action LIKE 'sign-in%' AND a.record_id = 'user:' || (SELECT id FROM users WHERE username = $name)
            ORDER BY a.id
            """;
        command.Parameters.AddWithValue("$name", userName);
        var rows = new List<AuditRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new AuditRow(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5)));
        }

        return rows;
    }

    private async Task AddUserAsync(string name)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Directory"] = _app.DataDirectory })
            .Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await UsersCommand.AddAsync(
            new CommandContext(configuration, CoverageCheck.Service.Data.DataDirectory.From(configuration), output, error),
            name, ["admissions"], PasswordSource.FromText(Password), CancellationToken.None);
        Assert.That(exit, Is.Zero, error.ToString());
    }

    private sealed record AuditRow(string Action, string Actor, string? ActorKind, string RecordType, string RecordId, string Purpose);
}
