using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Security;

internal static class SecurityExtensions
{
    public const string ApiKeysFileName = "apikeys.json";

    /// <summary>
    /// PHI protection (encryption keys, redaction of PHI in logs) and who may do what (API keys, optional JWT bearer,
    /// the named <see cref="Policies"/>).
    /// </summary>
    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, SecurityJsonContext.Default));
        services.AddDataDirectory();

        // Protected health information at rest.
        services.AddOptionsWithValidateOnStart<PhiOptions>().BindConfiguration(PhiOptions.SectionName);
        services.AddSingleton<IPostConfigureOptions<PhiOptions>, PhiKeyProvisioner>();
        services.AddSingleton<IValidateOptions<PhiOptions>, PhiOptionsValidator>();
        services.AddSingleton<IValidateOptions<PhiOptions>, PhiOptionsCustomValidator>();
        services.AddSingleton<PhiProtector>();
        services.AddDataProtectionKeysInDatabase();

        // ... and never in logs: anything classified PHI or secret is erased before it reaches a sink.
        services.AddRedaction(redaction => redaction.SetRedactor<ErasingRedactor>(
            new DataClassificationSet(PhiTaxonomy.Phi),
            new DataClassificationSet(PhiTaxonomy.Secret)));
        builder.Logging.EnableRedaction();

        // Callers.
        // The keys `keys add` writes to {data}/apikeys.json are added to the configured ones, and the options are
        // rebuilt when that file changes, so the running service sees a new or removed key without a restart.
        services.AddSingleton<LocalApiKeys>();
        services.AddSingleton<IOptionsChangeTokenSource<AuthOptions>>(sp =>
            new ConfigurationChangeTokenSource<AuthOptions>(sp.GetRequiredService<LocalApiKeys>().Configuration));
        services.AddOptionsWithValidateOnStart<AuthOptions>()
            .BindConfiguration(AuthOptions.SectionName)
            .Configure<LocalApiKeys>((options, local) => local.AddTo(options));
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsCustomValidator>();
        services.AddSingleton<ApiKeyRegistry>();

        var jwt = builder.Configuration.GetSection($"{AuthOptions.SectionName}:Jwt").Get<JwtOptions>() ?? new JwtOptions();
        // The default scheme picks per request: X-Api-Key (and anything under /api) -> API key, Bearer -> JWT when
        // configured, else the staff pages' session cookie (see StaffAuthentication.SelectScheme).
        var authentication = services.AddAuthentication(StaffAuthentication.CallerScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null)
            .AddStaffSignIn(builder.Configuration, jwt.IsConfigured ? JwtBearerDefaults.AuthenticationScheme : null);
        if (jwt.IsConfigured)
        {
            authentication
                .AddJwtBearer(JwtBearerDefaults.AuthenticationScheme, options =>
                {
                    options.Authority = jwt.Authority!.ToString();
                    options.Audience = jwt.Audience;
                    options.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
                    options.MapInboundClaims = false;
                    options.TokenValidationParameters.RoleClaimType = jwt.RoleClaim;
                    options.TokenValidationParameters.NameClaimType = jwt.NameClaim;
                });
        }

        services.AddSingleton<IAuthorizationHandler, NoRejectedCredentialHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Estimates, policy => policy.AddRequirements(new NoRejectedCredentialRequirement()))
            .AddPolicy(Policies.VerificationsWrite, policy => policy.RequireRole(Roles.Admissions, Roles.Admin))
            .AddPolicy(Policies.VerificationsRead, policy => policy.RequireRole(Roles.Admissions, Roles.Finance, Roles.Admin))
            .AddPolicy(Policies.Eligibility271, policy => policy.RequireRole(Roles.Admissions, Roles.Finance, Roles.Admin))
            .AddPolicy(Policies.Batches, policy => policy.RequireRole(Roles.Finance, Roles.Admin))
            .AddPolicy(Policies.Contracts, policy => policy.RequireRole(Roles.Finance, Roles.Admin))
            .AddPolicy(Policies.Remittances, policy => policy.RequireRole(Roles.Finance, Roles.Admin));
        return builder;
    }

    /// <summary>Authentication and authorization; call after CORS and before the endpoints (and before a rate limiter that looks at the caller).</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary><c>GET /api/v1/auth/whoami</c>: the caller's name and roles, to check a key or token.</summary>
    public static IEndpointRouteBuilder MapSecurityApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/auth").WithTags("Auth").RequireAuthorization();
        group.MapGet("/whoami", WhoAmI).WithName("WhoAmI");
        return endpoints;
    }

    internal static Ok<Caller> WhoAmI(ClaimsPrincipal user)
    {
        var identity = user.Identity as ClaimsIdentity;
        var roleType = identity?.RoleClaimType ?? ClaimTypes.Role;
        return TypedResults.Ok(new Caller(
            identity?.Name ?? "",
            [.. user.FindAll(roleType).Select(claim => claim.Value).Distinct().Order(StringComparer.Ordinal)]));
    }
}

/// <summary>The caller as the service sees it.</summary>
internal sealed record Caller(string Name, IReadOnlyList<string> Roles);

/// <summary>Anonymous callers pass; a caller who presented a credential that failed does not (401, not silently anonymous).</summary>
internal sealed class NoRejectedCredentialRequirement : IAuthorizationRequirement;

internal sealed class NoRejectedCredentialHandler : AuthorizationHandler<NoRejectedCredentialRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, NoRejectedCredentialRequirement requirement)
    {
        if (context.Resource is not HttpContext httpContext)
        {
            context.Succeed(requirement);
            return;
        }

        // The authentication middleware keeps only successful results; ask the default scheme again (its handler
        // caches the result per request) to learn whether a credential was presented and rejected.
        var result = await httpContext.AuthenticateAsync();
        if (result.Failure is null)
        {
            context.Succeed(requirement);
        }
    }
}

/// <summary>The security feature's answers, source-generated (camelCase).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Caller))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
