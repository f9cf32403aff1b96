using System.Net;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Features.Users;
using CoverageCheck.Service.Pages;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace CoverageCheck.Service.Tests.Pages;

/// <summary>The staff pages over HTTP without a browser: redirects, antiforgery, headers, the API left as it was.</summary>
internal sealed class StaffPagesHttpTests
{
    private ServiceApplication _app = null!;

    [OneTimeSetUp]
    public void Start() => _app = new ServiceApplication();

    [OneTimeTearDown]
    public void Stop() => _app.Dispose();

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Test]
    public async Task An_anonymous_page_request_is_redirected_to_sign_in_with_a_local_return_url()
    {
        using var client = Browser();
        using var response = await client.GetAsync("/staff/verify");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.PathAndQuery, Is.EqualTo("/staff/sign-in?returnUrl=%2Fstaff%2Fverify"));
    }

    [Test]
    public async Task The_API_still_answers_401_problem_details_and_never_redirects()
    {
        using var client = Browser();
        using var response = await client.GetAsync("/api/v1/verifications");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Headers.WwwAuthenticate.ToString(), Is.EqualTo("ApiKey header=\"X-Api-Key\""));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task An_API_key_on_a_page_is_judged_by_the_key_not_redirected()
    {
        using var client = Browser();
        client.DefaultRequestHeaders.Add("X-Api-Key", TestApiKeys.Website);
        using var response = await client.GetAsync("/staff/queue");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Sign_in_without_the_antiforgery_token_is_refused()
    {
        using var client = Browser();
        using var response = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "nobody",
            ["password"] = "whatever-password",
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Pages_carry_the_strict_policy_and_are_never_cached()
    {
        using var client = Browser();
        using var response = await client.GetAsync("/staff/sign-in");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Is.EqualTo(SecurityHeadersMiddleware.ContentSecurityPolicy));
        Assert.That(response.Headers.CacheControl?.NoStore, Is.True);
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
        Assert.That(response.Headers.GetValues("X-Frame-Options").Single(), Is.EqualTo("DENY"));
        Assert.That(response.Headers.Contains("Permissions-Policy"), Is.True);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(html, Does.Not.Contain("<script>").And.Not.Contain("style=\""), "no inline script or style the CSP would block");
    }

    [Test]
    public async Task Sign_in_with_the_token_sets_a_strict_http_only_session_cookie()
    {
        await AddUserAsync("cookie.check", "admissions");
        using var client = Browser();
        var form = await client.GetStringAsync("/staff/sign-in");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.That(token, Is.Not.Empty);
        using var response = await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "cookie.check",
            ["password"] = PagesHost.Password,
            ["returnUrl"] = "https://evil.example/steal",
            ["__csrf"] = token,
        }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.OriginalString, Is.EqualTo("/staff"), "an off-site return URL is ignored");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(StaffAuthentication.CookieName + "=", StringComparison.Ordinal));
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase);
    }

    [Test]
    public async Task The_users_command_refuses_a_short_password_and_a_taken_name()
    {
        var (exit, _, error) = await RunUsersAddAsync("short.pw", "admissions", "too-short");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("at least 12 characters"));

        await AddUserAsync("taken.name", "finance");
        (exit, _, error) = await RunUsersAddAsync("taken.name", "finance", PagesHost.Password);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(error, Does.Contain("already exists"));
    }

    [Test]
    public async Task The_users_command_runs_through_the_command_line_and_stores_no_plain_password()
    {
        var configuration = Configuration();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CommandLine.RunAsync(["users", "add", "cli.user", "--role", "bogus"], configuration, output, error);
        Assert.That(exit, Is.Not.Zero, "unknown roles are refused by the parser");

        var (created, _, _) = await RunUsersAddAsync("cli.user", "admissions", PagesHost.Password);
        Assert.That(created, Is.Zero);
        var database = await File.ReadAllBytesAsync(Path.Combine(_app.DataDirectory, "coveragecheck.db"));
        Assert.That(System.Text.Encoding.UTF8.GetString(database), Does.Not.Contain(PagesHost.Password));
    }

    [Test]
    public async Task Wrong_passwords_make_that_name_wait_from_that_address_but_not_other_names()
    {
        await AddUserAsync("guessed.name", "admissions");
        await AddUserAsync("other.name", "admissions");
        using var client = Browser();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await SignInAsync(client, "guessed.name", "wrong-password-" + i));
        }

        Assert.That(answers, Is.All.EqualTo(HttpStatusCode.Unauthorized), "three free failures");
        HttpResponseMessage? waiting = null;
        for (var i = 3; i < 12 && waiting is null; i++)
        {
            // Each failure past the free ones doubles the wait (1 s, 2 s, 4 s ...): soon one is still running.
            var response = await PostSignInAsync(client, "GUESSED.name", "wrong-password-" + i);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                waiting = response;
            }
            else
            {
                response.Dispose();
            }
        }

        using (waiting)
        {
            Assert.That(waiting, Is.Not.Null, "the name from this address is made to wait");
            Assert.That(waiting!.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(15)));
            Assert.That(await waiting.Content.ReadAsStringAsync(), Does.Contain("Too many failed sign-ins"));
        }

        Assert.That(await SignInAsync(client, "other.name", PagesHost.Password), Is.EqualTo(HttpStatusCode.Redirect), "another name from the same address");
    }

    private static async Task<HttpStatusCode> SignInAsync(HttpClient client, string name, string password)
    {
        using var response = await PostSignInAsync(client, name, password);
        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string name, string password)
    {
        var form = await client.GetStringAsync("/staff/sign-in");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        return await client.PostAsync("/staff/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = name,
            ["password"] = password,
            ["__csrf"] = token,
        }));
    }

    private IConfiguration Configuration() => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Directory"] = _app.DataDirectory })
        .Build();

    private async Task AddUserAsync(string name, string role)
    {
        var (exit, _, error) = await RunUsersAddAsync(name, role, PagesHost.Password);
        Assert.That(exit, Is.Zero, error);
    }

    private async Task<(int Exit, string Output, string Error)> RunUsersAddAsync(string name, string role, string password)
    {
        _ = _app.Server; // the host has migrated the database
        var configuration = Configuration();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await UsersCommand.AddAsync(
            new CommandContext(configuration, CoverageCheck.Service.Data.DataDirectory.From(configuration), output, error),
            name, [role], PasswordSource.FromText(password), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }
}
