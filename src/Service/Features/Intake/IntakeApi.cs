using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Infrastructure.Json;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Intake;

/// <summary>
/// The website's consented request ("Verify Coverage Today", http-api.md "Website intake"): the consent text with a
/// one-time form token, and the request that becomes a consent record, a queued verification and a web request in
/// the admissions queue. The visitor's answer never depends on who they are: same shape, wording and work.
/// </summary>
internal static class IntakeApi
{
    public const string CorsPolicy = "website-intake";

    private static readonly AccessContext Website = new("website", Roles.Website, "website intake") { ActorKind = ActorKinds.Anonymous };

    public static WebApplicationBuilder AddIntake(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptionsWithValidateOnStart<IntakeOptions>().BindConfiguration(IntakeOptions.SectionName);
        services.AddSingleton<IValidateOptions<IntakeOptions>, IntakeOptionsValidator>();
        services.AddSingleton<FormTokens>();
        services.AddSingleton<IntakeConsentText>();
        services.AddSingleton<IntakeGlobalLimiter>();
        services.AddSingleton<IntakeStore>();
        services.AddSingleton<IntakeService>();
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, IntakeJsonContext.Default));
        services.AddCors();
        services.AddOptions<CorsOptions>().Configure<IOptions<WebsiteOptions>>((cors, website) =>
            cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins(website.Value.AllowedOrigins)
                .WithMethods(HttpMethods.Get, HttpMethods.Post)
                .WithHeaders("Content-Type")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        services.AddRateLimiter(options => options.AddPolicy<string, IntakeRateLimitPolicy>(IntakeRateLimitPolicy.Name));
        return builder;
    }

    public static RouteGroupBuilder MapIntakeApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/intake").WithTags("Website intake");

        group.MapGet("/consent", GetConsent)
            .WithName(nameof(GetConsent))
            .WithSummary("The consent the website form shows, and a one-time form token")
            .RequireAuthorization(Policies.Estimates)
            .RequireCors(CorsPolicy)
            .RequireRateLimiting(EstimatesApi.RateLimitPolicy);

        group.MapPost("/", CreateRequest)
            .WithName(nameof(CreateRequest))
            .WithSummary("A consented request for a benefits check and a callback (anonymous)")
            .Accepts<IntakeRequest>("application/json")
            .Produces<IntakeAcknowledgement>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAuthorization(Policies.Estimates)
            .RequireCors(CorsPolicy)
            .RequireRateLimiting(IntakeRateLimitPolicy.Name);

        var staff = group.MapGroup("/requests").RequireAuthorization(Policies.VerificationsWrite);
        staff.MapGet("/", ListRequests).WithName(nameof(ListRequests)).WithSummary("Web requests for the admissions callback list");
        staff.MapGet("/{id:guid}", GetRequest).WithName(nameof(GetRequest));
        staff.MapPut("/{id:guid}/callback", UpdateCallback).WithName(nameof(UpdateCallback))
            .WithSummary("Set the callback status; for an unknown insurer, pick the payer (queues the verification)");
        return group;
    }

    internal static Ok<IntakeConsentResponse> GetConsent(HttpContext context, IntakeConsentText consent, FormTokens tokens)
    {
        context.Response.Headers.CacheControl = "no-store";
        var (token, challenge) = tokens.Issue();
        return TypedResults.Ok(new IntakeConsentResponse(IntakeConsentText.Version, consent.Text, consent.Elements, token, challenge));
    }

    internal static async Task<Results<Accepted<IntakeAcknowledgement>, ValidationProblem, ProblemHttpResult, EmptyHttpResult>> CreateRequest(
        HttpContext context, IntakeGlobalLimiter global, IOptions<IntakeOptions> options, IntakeService intake, CancellationToken cancellationToken)
    {
        using var lease = global.TryAcquire();
        if (!lease.IsAcquired)
        {
            await IntakeRateLimits.RejectAsync(context, lease);
            return TypedResults.Empty;
        }

        var body = await JsonRequestBody.ReadAsync(context.Request, IntakeJsonContext.Default.IntakeRequest, options.Value.MaxBodyBytes, "request", cancellationToken);
        if (body.Refusal is { } refusal)
        {
            return refusal;
        }

        if (body.Value is null)
        {
            return Invalid(body.Errors.ToDictionary());
        }

        var outcome = await intake.AcceptAsync(body.Value, Website, cancellationToken);
        return outcome.Errors is { } errors
            ? Invalid(errors)
            : TypedResults.Accepted((string?)null, new IntakeAcknowledgement(outcome.Reference!, IntakeAcknowledgement.Text));
    }

    internal static async Task<Results<Ok<IntakeRequestList>, ValidationProblem>> ListRequests(HttpContext context, string? status, IntakeService intake, CancellationToken cancellationToken)
    {
        if (status is not null && !CallbackStatuses.IsKnown(status))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["Use new, called, reached or closed, or leave it out."] });
        }

        var items = await intake.ListAsync(status, AccessContext.For(context.User, "admissions callback list"), cancellationToken);
        return TypedResults.Ok(new IntakeRequestList(items));
    }

    internal static async Task<Results<Ok<IntakeRequestView>, NotFound>> GetRequest(Guid id, HttpContext context, IntakeService intake, CancellationToken cancellationToken) =>
        await intake.GetAsync(id, AccessContext.For(context.User, "admissions callback"), cancellationToken) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound();

    internal static async Task<Results<Ok<IntakeRequestView>, NotFound, ValidationProblem>> UpdateCallback(
        Guid id, IntakeCallbackUpdate update, HttpContext context, IntakeService intake, CancellationToken cancellationToken)
    {
        var (view, errors) = await intake.UpdateAsync(id, update, AccessContext.For(context.User, "admissions callback"), cancellationToken);
        if (errors is not null)
        {
            return TypedResults.ValidationProblem(errors, title: "The update is not valid.");
        }

        return view is null ? TypedResults.NotFound() : TypedResults.Ok(view);
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "Some answers need another look.");
}
