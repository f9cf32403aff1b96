using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoverageCheck.Service.Tests.Security;

/// <summary>
/// A payer edge on 127.0.0.1 speaking the v3 eligibility JSON that rejects every inquiry with AAA 75 and, as some
/// payers do, echoes the member's name and date of birth in the free-text description.
/// </summary>
internal sealed class EchoingClearinghouse : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoingClearinghouse(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The payer's text: "Member FIRST LAST DOB CCYYMMDD was not found".</summary>
    public static string EchoOf(string first, string last, string compactDateOfBirth) =>
        $"Member {first} {last} DOB {compactDateOfBirth} was not found";

    public static async Task<EchoingClearinghouse> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/medicalnetwork/eligibility/v3", async (HttpRequest request) =>
        {
            var inquiry = (await JsonNode.ParseAsync(request.Body))!.AsObject();
            var subscriber = inquiry["subscriber"]!.AsObject();
            var first = (string?)subscriber["firstName"] ?? "";
            var last = (string?)subscriber["lastName"] ?? "";
            var dob = (string?)subscriber["dateOfBirth"] ?? "";
            var error = new JsonObject
            {
                ["field"] = "AAA",
                ["code"] = "75",
                ["description"] = EchoOf(first, last, dob),
                ["followupAction"] = $"Call about {first} {last}",
                ["location"] = "Loop 2100C",
            };
            var answer = new JsonObject
            {
                ["controlNumber"] = inquiry["controlNumber"]?.DeepClone(),
                ["tradingPartnerServiceId"] = inquiry["tradingPartnerServiceId"]?.DeepClone(),
                ["benefitsInformation"] = new JsonArray(),
                ["errors"] = new JsonArray(error),
                ["subscriber"] = new JsonObject
                {
                    ["memberId"] = subscriber["memberId"]?.DeepClone(),
                    ["firstName"] = first,
                    ["lastName"] = last,
                    ["aaaErrors"] = new JsonArray(error.DeepClone()),
                },
            };
            return Results.Text(answer.ToJsonString(JsonSerializerOptions.Web), "application/json");
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EchoingClearinghouse(app, new Uri(address + "/"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
