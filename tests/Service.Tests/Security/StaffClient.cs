using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>
/// A browser for the staff pages of an in-memory host: it keeps cookies, reads the antiforgery token from each form,
/// and comes from a client address of the test's choosing (the in-memory server has no connection address of its
/// own; <see cref="ClientAddressFilter"/> sets it from <see cref="AddressHeader"/>, as Kestrel would from the socket).
/// </summary>
internal sealed partial class StaffClient : IDisposable
{
    public const string AddressHeader = "X-Test-Client-Address";

    private StaffClient(HttpClient client) => Http = client;

    public HttpClient Http { get; }

    public static StaffClient For(ServiceApplication app, string address = "10.0.0.1", string baseAddress = "http://localhost")
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri(baseAddress),
        });
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return new StaffClient(client);
    }

    /// <summary>Host configuration that lets <see cref="AddressHeader"/> set the connection's remote address.</summary>
    public static void UseClientAddresses(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ClientAddressFilter>());

    public async Task<string> TokenAsync(string path = "/staff/sign-in")
    {
        var form = await Http.GetStringAsync(path);
        var token = Token().Match(form).Groups[1].Value;
        return token.Length > 0 ? token : throw new InvalidOperationException($"No antiforgery token on {path}.");
    }

    public async Task<HttpResponseMessage> SignInAsync(string name, string password, string? returnUrl = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["username"] = name,
            ["password"] = password,
            ["__csrf"] = await TokenAsync(),
        };
        if (returnUrl is not null)
        {
            fields["returnUrl"] = returnUrl;
        }

        return await Http.PostAsync("/staff/sign-in", new FormUrlEncodedContent(fields));
    }

    public async Task<HttpStatusCode> SignInStatusAsync(string name, string password)
    {
        using var response = await SignInAsync(name, password);
        return response.StatusCode;
    }

    public async Task<HttpResponseMessage> SignOutAsync()
    {
        var token = await TokenAsync("/staff/queue");
        return await Http.PostAsync("/staff/sign-out", new FormUrlEncodedContent(new Dictionary<string, string> { ["__csrf"] = token }));
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__csrf\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();

    private sealed class ClientAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[AddressHeader].ToString(), out var address))
                {
                    context.Connection.RemoteIpAddress = address;
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
