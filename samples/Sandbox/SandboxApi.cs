using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoverageCheck.Sandbox;

/// <summary>The sandbox clearinghouse's HTTP API: the v3 eligibility endpoint and a small admin surface.</summary>
public static class SandboxApi
{
    private const string JsonContentType = "application/json";

    public static IEndpointRouteBuilder MapSandboxApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/medicalnetwork/eligibility/v3", CheckEligibilityAsync).AddEndpointFilter(CountInFlight);
        endpoints.MapPost("/x12/270", CheckEligibilityX12Async).AddEndpointFilter(CountInFlight);
        endpoints.MapGet("/medicalnetwork/eligibility/v3/healthcheck", () => Results.Text("""{"status":"ok"}""", JsonContentType));

        var admin = endpoints.MapGroup("/sandbox");
        admin.MapGet("/members", (SandboxState state) => Results.Ok(state.Members.Select(MemberSummary.From)));
        admin.MapPut("/members/{memberId}", UpdateMember);
        admin.MapGet("/faults", (SandboxState state) => Results.Ok(FaultSettings.From(state.Knobs)));
        admin.MapPut("/faults", SetFaults);
        // How many inquiries arrived and the most that were ever in flight at once: the load scripts check the client's
        // concurrency limit against what the payer side actually saw.
        admin.MapGet("/stats", (SandboxState state) => Results.Ok(state.Traffic));
        // The payer after the care: adjudicates claims against the members as they are now and answers the X12 835.
        admin.MapPost("/remittances", SandboxRemittanceApi.Issue);
        admin.MapPost("/reset", (SandboxState state) =>
        {
            state.Reset();
            return Results.NoContent();
        });
        return endpoints;
    }

    private static async ValueTask<object?> CountInFlight(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var state = context.HttpContext.RequestServices.GetRequiredService<SandboxState>();
        state.RequestStarted();
        try
        {
            return await next(context);
        }
        finally
        {
            state.RequestEnded();
        }
    }

    internal static async Task<IResult> CheckEligibilityAsync(HttpRequest http, SandboxState state, TimeProvider time, CancellationToken ct)
    {
        var knobs = state.Knobs;
        if (knobs.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(knobs.LatencyMs), time, ct);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return Message(StatusCodes.Status400BadRequest, "The request body is not valid JSON.", "BAD_REQUEST");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Message(StatusCodes.Status400BadRequest, "The request body must be a JSON object.", "BAD_REQUEST");
            }

            var inquiry = Inquiry.Read(document.RootElement, DateOnly.FromDateTime(time.GetLocalNow().DateTime));
            if (inquiry.ControlNumber is not { Length: 9 } || !inquiry.ControlNumber.All(char.IsAsciiDigit))
            {
                return Message(StatusCodes.Status400BadRequest, "controlNumber must be exactly 9 digits.", "BAD_REQUEST");
            }

            return Render(await DecideAsync(inquiry, state, knobs, time, ct), time, asX12: false);
        }
    }

    /// <summary>
    /// <c>POST /x12/270</c>: a raw X12 270 in (text/plain), the 271 out, decided exactly as the JSON endpoint decides.
    /// Transport faults answer the same statuses with a JSON message.
    /// </summary>
    internal static async Task<IResult> CheckEligibilityX12Async(HttpRequest http, SandboxState state, TimeProvider time, CancellationToken ct)
    {
        var knobs = state.Knobs;
        if (knobs.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(knobs.LatencyMs), time, ct);
        }

        using var reader = new StreamReader(http.Body);
        var text = await reader.ReadToEndAsync(ct);
        if (Inquiry.ReadX12(text, DateOnly.FromDateTime(time.GetLocalNow().DateTime)) is not { } inquiry)
        {
            return Results.Text("Not an X12 270: the body must start with a 106-character ISA segment and carry NM1*PR, NM1*1P and NM1*IL.", "text/plain", statusCode: StatusCodes.Status400BadRequest);
        }

        return Render(await DecideAsync(inquiry, state, knobs, time, ct), time, asX12: true);
    }

    private static IResult Render(Outcome outcome, TimeProvider time, bool asX12)
    {
        if (outcome.Answer is { } answer)
        {
            var now = time.GetUtcNow();
            return asX12
                ? Results.Text(answer.ToX12(now), "text/plain", statusCode: outcome.Status)
                : Results.Text(answer.ToJson(now), JsonContentType, statusCode: outcome.Status);
        }

        var message = Message(outcome.Status, outcome.Message!, outcome.Code!);
        return outcome.RetryAfterSeconds is { } seconds ? new RetryAfterResult(message, seconds) : message;
    }

    private static async Task<Outcome> DecideAsync(Inquiry inquiry, SandboxState state, SandboxKnobs knobs, TimeProvider time, CancellationToken ct)
    {
        switch (state.DrawFault())
        {
            case SandboxFault.Http503:
                return Outcome.Fault(StatusCodes.Status503ServiceUnavailable, "The payer connection is unavailable. Retry later.", "SERVICE_UNAVAILABLE");
            case SandboxFault.Http429:
                return Outcome.Fault(StatusCodes.Status429TooManyRequests, "Request throttled: CUSTOMER_LIMIT", "TOO_MANY_REQUESTS");
            case SandboxFault.Timeout:
                await Task.Delay(TimeSpan.FromMilliseconds(knobs.TimeoutDelayMs), time, ct);
                return Outcome.Fault(StatusCodes.Status504GatewayTimeout, "The payer did not respond in time.", "GATEWAY_TIMEOUT");
            case SandboxFault.Aaa42:
                return Outcome.Of(StatusCodes.Status200OK, inquiry.Reject(new AaaError("42", "R", AaaLoop.Payer)));
        }

        return await AnswerAsync(inquiry, state, knobs, time, ct);
    }

    /// <summary>What the sandbox decided: an answer (JSON or X12 to render) or a transport fault.</summary>
    private sealed record Outcome(int Status, SandboxAnswer? Answer, string? Message = null, string? Code = null, int? RetryAfterSeconds = null)
    {
        public static Outcome Of(int status, SandboxAnswer answer) => new(status, answer);

        public static Outcome Fault(int status, string message, string code, int? retryAfterSeconds = null) =>
            new(status, null, message, code, retryAfterSeconds);
    }

    private static async Task<Outcome> AnswerAsync(Inquiry inquiry, SandboxState state, SandboxKnobs knobs, TimeProvider time, CancellationToken ct)
    {
        if (!SandboxCatalogue.PayerNames.ContainsKey(inquiry.PayerId))
        {
            return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("79", "C", AaaLoop.Payer,
                "The sandbox does not know this payer ID. GET /sandbox/members lists its payers.")));
        }

        if (inquiry.Npi is not { Length: 10 } || !inquiry.Npi.All(char.IsAsciiDigit))
        {
            return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("43", "C", AaaLoop.Provider)));
        }

        if (inquiry.MemberId is not { Length: >= 2 and <= 80 })
        {
            return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("72", "C", AaaLoop.Subscriber,
                "Send the member ID exactly as on the card.")));
        }

        if (inquiry.DateOfBirth is null)
        {
            return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("58", "C", AaaLoop.Subscriber)));
        }

        if (inquiry.DateOfService is not { } dateOfService)
        {
            return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("57", "C", AaaLoop.Subscriber)));
        }

        if (state.Find(inquiry.PayerId, inquiry.MemberId) is not { } member)
        {
            return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("75", "C", AaaLoop.Subscriber,
                "Check the member ID and the payer; try the name exactly as on the card.")));
        }

        // A family member without an ID of their own is found only as a dependent under the subscriber's ID, and a
        // dependent is found only under a subscriber who has them: the other way round, the payer finds no one (AAA 75).
        SandboxDependent? dependent = null;
        if (inquiry.Dependent is { } asked)
        {
            dependent = member.Dependents?.FirstOrDefault(d => d.DateOfBirth == asked.DateOfBirth && string.Equals(d.LastName, asked.LastName, StringComparison.OrdinalIgnoreCase));
            if (dependent is null)
            {
                return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("75", "C", AaaLoop.Subscriber,
                    "No such dependent under this subscriber: a dependent with a member ID of their own is asked about as the subscriber.")));
            }
        }
        else if (member.Dependents?.Any(d => d.DateOfBirth == inquiry.DateOfBirth && string.Equals(d.FirstName, inquiry.FirstName, StringComparison.OrdinalIgnoreCase)) == true)
        {
            return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("75", "C", AaaLoop.Subscriber,
                "Not found as the subscriber: a dependent without a member ID of their own goes in dependents[] under the subscriber.")));
        }

        if (!string.Equals(member.LastName, inquiry.LastName, StringComparison.OrdinalIgnoreCase))
        {
            return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("73", "C", AaaLoop.Subscriber)));
        }

        if (inquiry.DateOfBirth != member.DateOfBirth)
        {
            return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("71", "C", AaaLoop.Subscriber)));
        }

        switch (member.Behaviour)
        {
            case SandboxBehaviour.PayerUnavailable:
                return Outcome.Of(StatusCodes.Status200OK, inquiry.Reject(new AaaError("42", "R", AaaLoop.Payer)));
            case SandboxBehaviour.Slow:
                await Task.Delay(TimeSpan.FromMilliseconds(knobs.SlowLatencyMs), time, ct);
                break;
            case SandboxBehaviour.Burst503 when state.NextCall(member) % 3 != 0:
                return Outcome.Fault(StatusCodes.Status503ServiceUnavailable, "The payer connection is unavailable. Retry later.", "SERVICE_UNAVAILABLE");
            case SandboxBehaviour.OnlyServiceType30 when inquiry.ServiceTypeCode != "30":
                return Outcome.Of(StatusCodes.Status400BadRequest, inquiry.Reject(new AaaError("53", "C", AaaLoop.Subscriber,
                    "This payer does not answer that service type: ask again with service type 30.")));
            case SandboxBehaviour.Burst429 when state.NextCall(member) % 3 != 0:
                return Outcome.Fault(StatusCodes.Status429TooManyRequests, "Request throttled: CUSTOMER_LIMIT", "TOO_MANY_REQUESTS", retryAfterSeconds: 1);
        }

        var answer = new SandboxAnswer(
            inquiry.ControlNumber!, inquiry.PayerId, SandboxCatalogue.PayerNames[inquiry.PayerId], inquiry.OrganizationName ?? "", inquiry.Npi,
            member.MemberId, member.FirstName, member.LastName, member.DateOfBirth.ToString("yyyyMMdd", CultureInfo.InvariantCulture),
            member.GroupNumber, BenefitRows.DatesFor(member.Coverage, dateOfService), BenefitRows.For(member.Coverage, dateOfService), [])
        {
            Dependent = dependent,
        };
        return Outcome.Of(StatusCodes.Status200OK, answer);
    }

    internal static IResult UpdateMember(string memberId, SandboxMemberUpdate update, SandboxState state)
    {
        var found = update.PayerId is { } payerId ? state.Find(payerId, memberId) : state.FindByMemberId(memberId);
        if (found is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound,
                detail: "No sandbox member has this member ID (give payerId when several payers share it).");
        }

        try
        {
            var updated = state.Update(found.PayerId, found.MemberId, update.ApplyTo);
            return updated is null ? Results.NotFound() : Results.Ok(MemberSummary.From(updated));
        }
        catch (ArgumentException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: ex.Message);
        }
    }

    internal static IResult SetFaults(FaultSettings settings, SandboxState state)
    {
        var current = state.Knobs;
        var knobs = new SandboxKnobs(
            settings.LatencyMs ?? current.LatencyMs,
            settings.SlowLatencyMs ?? current.SlowLatencyMs,
            settings.TimeoutDelayMs ?? current.TimeoutDelayMs,
            new SandboxFaults
            {
                Http503 = settings.Http503 ?? current.Faults.Http503,
                Http429 = settings.Http429 ?? current.Faults.Http429,
                Timeout = settings.Timeout ?? current.Faults.Timeout,
                Aaa42 = settings.Aaa42 ?? current.Faults.Aaa42,
            });
        if (knobs.LatencyMs < 0 || knobs.SlowLatencyMs < 0 || knobs.TimeoutDelayMs < 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: "Latencies must not be negative.");
        }

        try
        {
            state.SetKnobs(knobs);
        }
        catch (ArgumentException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, detail: ex.Message);
        }

        return Results.Ok(FaultSettings.From(knobs));
    }

    private static IResult Message(int status, string message, string code) =>
        Results.Text(JsonSerializer.Serialize(new TransportError(message, code), SandboxJsonContext.Default.TransportError), JsonContentType, statusCode: status);

    /// <summary>What the request asked, read leniently: a missing or malformed field becomes null and is answered with AAA.</summary>
    private sealed record Inquiry(
        string? ControlNumber,
        string PayerId,
        string? OrganizationName,
        string? Npi,
        string? MemberId,
        string? FirstName,
        string? LastName,
        DateOnly? DateOfBirth,
        string? DateOfBirthText,
        DateOnly? DateOfService,
        string ServiceTypeCode)
    {
        /// <summary>The patient when asked about as a dependent (JSON <c>dependents[0]</c>, X12 2100D); null otherwise.</summary>
        public SandboxDependent? Dependent { get; init; }

        public static Inquiry Read(JsonElement root, DateOnly today)
        {
            var provider = Object(root, "provider");
            var subscriber = Object(root, "subscriber");
            var encounter = Object(root, "encounter");
            var dateOfBirth = Text(subscriber, "dateOfBirth");
            var dateOfService = Text(encounter, "dateOfService");
            return new Inquiry(
                Text(root, "controlNumber"),
                Text(root, "tradingPartnerServiceId") ?? "",
                Text(provider, "organizationName"),
                Text(provider, "npi"),
                Text(subscriber, "memberId"),
                Text(subscriber, "firstName"),
                Text(subscriber, "lastName"),
                ParseDate(dateOfBirth),
                dateOfBirth,
                dateOfService is null ? today : ParseDate(dateOfService),
                FirstServiceType(encounter) ?? "30")
            {
                Dependent = FirstDependent(root),
            };
        }

        private static SandboxDependent? FirstDependent(JsonElement root)
        {
            if (!root.TryGetProperty("dependents", out var dependents) || dependents.ValueKind != JsonValueKind.Array || dependents.GetArrayLength() == 0
                || dependents[0].ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var first = dependents[0];
            return new SandboxDependent(
                Text(first, "firstName") ?? "", Text(first, "lastName") ?? "", ParseDate(Text(first, "dateOfBirth")) ?? default,
                Text(first, "individualRelationshipCode") ?? "");
        }

        private static string? FirstServiceType(JsonElement? encounter) =>
            encounter is { } e && e.TryGetProperty("serviceTypeCodes", out var codes) && codes.ValueKind == JsonValueKind.Array
                && codes.GetArrayLength() > 0 && codes[0].ValueKind == JsonValueKind.String
                ? codes[0].GetString()
                : null;

        /// <summary>Reads the fields the sandbox needs from a 270 (delimiters from the ISA), or null when it is not one.</summary>
        public static Inquiry? ReadX12(string text, DateOnly today)
        {
            text = text.TrimStart();
            if (text.Length < 106 || !text.StartsWith("ISA", StringComparison.Ordinal))
            {
                return null;
            }

            var element = text[3];
            var terminator = text[105];
            var segments = text.Split(terminator)
                .Select(s => s.Trim('\r', '\n', ' '))
                .Where(s => s.Length > 0)
                .Select(s => s.Split(element))
                .ToList();
            string? Get(string[]? segment, int index) => segment is not null && segment.Length > index && segment[index].Length > 0 ? segment[index].Trim() : null;
            string[]? Find(string id, string? qualifier = null) =>
                segments.FirstOrDefault(s => s[0] == id && (qualifier is null || (s.Length > 1 && s[1] == qualifier)));

            var isa = segments[0];
            var payer = Find("NM1", "PR");
            var provider = Find("NM1", "1P");
            var subscriber = Find("NM1", "IL");
            if (isa.Length < 17 || Get(isa, 13) is not { Length: 9 } || payer is null || provider is null || subscriber is null || Find("ST")?.ElementAtOrDefault(1) != "270")
            {
                return null;
            }

            var dateOfBirth = Get(Find("DMG", "D8"), 2);
            var dateOfService = Get(Find("DTP", "291"), 3);
            return new Inquiry(
                Get(isa, 13),
                Get(payer, 9) ?? "",
                Get(provider, 3),
                Get(provider, 8) == "XX" ? Get(provider, 9) : null,
                Get(subscriber, 9),
                Get(subscriber, 4),
                Get(subscriber, 3),
                ParseDate(dateOfBirth),
                dateOfBirth,
                dateOfService is null ? today : ParseDate(dateOfService[..Math.Min(8, dateOfService.Length)]),
                Get(Find("EQ"), 1)?.Split(text[82])[0] ?? "30") // EQ01 repeats with ISA11
            {
                Dependent = segments.FindIndex(s => s[0] == "NM1" && s.Length > 1 && s[1] == "03") is var at and >= 0
                    ? new SandboxDependent(
                        Get(segments[at], 4) ?? "",
                        Get(segments[at], 3) ?? "",
                        ParseDate(Get(segments.Skip(at).FirstOrDefault(s => s[0] == "DMG"), 2)) ?? default,
                        Get(segments.Skip(at).FirstOrDefault(s => s[0] == "INS"), 2) ?? "")
                    : null,
            };
        }

        public SandboxAnswer Reject(AaaError error) => new(
            ControlNumber ?? "000000000",
            PayerId,
            SandboxCatalogue.PayerNames.TryGetValue(PayerId, out var name) ? name : PayerId,
            OrganizationName ?? "",
            Npi ?? "",
            error.Code is "72" ? null : MemberId,
            FirstName ?? "",
            LastName ?? "",
            DateOfBirth is null ? null : DateOfBirthText,
            null,
            null,
            [],
            [error]);

        private static JsonElement? Object(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

        private static string? Text(JsonElement? parent, string name) =>
            parent is { } p && p.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static DateOnly? ParseDate(string? text) =>
            DateOnly.TryParseExact(text, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }

    /// <summary>Adds <c>Retry-After</c> (seconds) to another result.</summary>
    private sealed class RetryAfterResult(IResult inner, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }
}

/// <summary>A transport-level error body, Stedi's shape: <c>{"message", "code"}</c>.</summary>
public sealed record TransportError(string Message, string Code);

/// <summary>A member as <c>GET /sandbox/members</c> lists it (synthetic data only).</summary>
public sealed record MemberSummary(
    string PayerId,
    string MemberId,
    string FirstName,
    string LastName,
    DateOnly DateOfBirth,
    string? GroupNumber,
    string Scenario,
    string Status,
    DateOnly? TerminatedOn,
    string EndStatedAs,
    int? EndsDaysAfterService,
    decimal? DeductibleRemaining,
    decimal? OutOfPocketRemaining,
    decimal? VisitsRemaining)
{
    public static MemberSummary From(SandboxMember member)
    {
        var accumulators = member.Coverage.PlanLevel?.InNetwork ?? member.Coverage.PlanLevel?.OutOfNetwork;
        var tier = member.Coverage.InNetwork ?? member.Coverage.OutOfNetwork;
        return new MemberSummary(member.PayerId, member.MemberId, member.FirstName, member.LastName, member.DateOfBirth, member.GroupNumber,
            member.Scenario, member.Coverage.Active ? "active" : "terminated", member.Coverage.TerminatedOn,
            member.Coverage.EndStatedAs switch
            {
                CoverageEndKind.PlanRange => "plan-range",
                CoverageEndKind.EligibilityEnd => "eligibility-end",
                _ => "plan-end",
            },
            member.Coverage.EndsDaysAfterService,
            accumulators?.IndividualDeductible?.Remaining, accumulators?.IndividualOutOfPocket?.Remaining, tier?.VisitLimit?.Remaining);
    }
}

/// <summary>
/// <c>PUT /sandbox/members/{memberId}</c>: change what the payer will say next time. Null fields stay as they are.
/// Remaining amounts apply to the in-network tier (the out-of-network tier for a member with only that).
/// </summary>
public sealed record SandboxMemberUpdate(
    string? PayerId = null,
    string? Status = null,
    DateOnly? TerminatedOn = null,
    string? EndStatedAs = null,
    decimal? DeductibleRemaining = null,
    decimal? FamilyDeductibleRemaining = null,
    decimal? OutOfPocketRemaining = null,
    decimal? FamilyOutOfPocketRemaining = null,
    decimal? VisitsRemaining = null)
{
    public SandboxMember ApplyTo(SandboxMember member)
    {
        var coverage = member.Coverage;
        if (TerminatedOn is not null)
        {
            coverage = coverage with { EndsDaysAfterService = null };
        }

        coverage = EndStatedAs?.ToLowerInvariant() switch
        {
            null => coverage,
            "plan-end" => coverage with { EndStatedAs = CoverageEndKind.PlanEnd },
            "plan-range" => coverage with { EndStatedAs = CoverageEndKind.PlanRange },
            "eligibility-end" => coverage with { EndStatedAs = CoverageEndKind.EligibilityEnd },
            _ => throw new ArgumentException("endStatedAs must be \"plan-end\" (DTP 347), \"plan-range\" (DTP 291) or \"eligibility-end\" (DTP 357)."),
        };

        coverage = Status?.ToUpperInvariant() switch
        {
            null => TerminatedOn is { } on ? coverage with { TerminatedOn = on } : coverage,
            "ACTIVE" => coverage with { Active = true, TerminatedOn = TerminatedOn },
            "TERMINATED" or "INACTIVE" => coverage with { Active = TerminatedOn is not null, TerminatedOn = TerminatedOn },
            _ => throw new ArgumentException("status must be \"active\" or \"terminated\"."),
        };

        if (coverage.PlanLevel is { } plan)
        {
            var inNetwork = plan.InNetwork is not null;
            var accumulators = (inNetwork ? plan.InNetwork : plan.OutOfNetwork) ?? new SandboxAccumulators(null, null, null, null);
            accumulators = accumulators with
            {
                IndividualDeductible = Remaining(accumulators.IndividualDeductible, DeductibleRemaining, "deductibleRemaining"),
                FamilyDeductible = Remaining(accumulators.FamilyDeductible, FamilyDeductibleRemaining, "familyDeductibleRemaining"),
                IndividualOutOfPocket = Remaining(accumulators.IndividualOutOfPocket, OutOfPocketRemaining, "outOfPocketRemaining"),
                FamilyOutOfPocket = Remaining(accumulators.FamilyOutOfPocket, FamilyOutOfPocketRemaining, "familyOutOfPocketRemaining"),
            };
            coverage = coverage with { PlanLevel = inNetwork ? plan with { InNetwork = accumulators } : plan with { OutOfNetwork = accumulators } };
        }
        else if (DeductibleRemaining is not null || OutOfPocketRemaining is not null || FamilyDeductibleRemaining is not null || FamilyOutOfPocketRemaining is not null)
        {
            throw new ArgumentException("This member's plan reports no deductible or out-of-pocket amounts to change.");
        }

        if (VisitsRemaining is { } visits)
        {
            if (coverage.InNetwork is { VisitLimit: { } limit } tier)
            {
                coverage = coverage with { InNetwork = tier with { VisitLimit = Remaining(limit, visits, "visitsRemaining") } };
            }
            else
            {
                throw new ArgumentException("This member's plan has no visit limit.");
            }
        }

        return member with { Coverage = coverage };
    }

    private static SandboxAmount? Remaining(SandboxAmount? amount, decimal? remaining, string field)
    {
        if (remaining is not { } value)
        {
            return amount;
        }

        if (amount is null)
        {
            throw new ArgumentException($"{field}: this member's plan does not report that amount.");
        }

        return value < 0 || value > amount.Total
            ? throw new ArgumentException($"{field} must be between 0 and the total ({amount.Total.ToString(CultureInfo.InvariantCulture)}).")
            : amount with { Remaining = value };
    }
}

/// <summary><c>GET/PUT /sandbox/faults</c>: latencies in milliseconds and fault rates as fractions; null fields stay as they are.</summary>
public sealed record FaultSettings(
    int? LatencyMs = null,
    int? SlowLatencyMs = null,
    int? TimeoutDelayMs = null,
    double? Http503 = null,
    double? Http429 = null,
    double? Timeout = null,
    double? Aaa42 = null)
{
    public static FaultSettings From(SandboxKnobs knobs) => new(
        knobs.LatencyMs, knobs.SlowLatencyMs, knobs.TimeoutDelayMs,
        knobs.Faults.Http503, knobs.Faults.Http429, knobs.Faults.Timeout, knobs.Faults.Aaa42);
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TransportError))]
[JsonSerializable(typeof(MemberSummary))]
[JsonSerializable(typeof(IEnumerable<MemberSummary>))]
[JsonSerializable(typeof(SandboxMemberUpdate))]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(SandboxRemittanceRequest))]
internal sealed partial class SandboxJsonContext : JsonSerializerContext;
