using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Features.Authorizations;
using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.CarveOuts;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Contracts;
using CoverageCheck.Service.Features.Eligibility;
using CoverageCheck.Service.Features.GoodFaithEstimates;
using CoverageCheck.Service.Features.Intake;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Features.Payers;
using CoverageCheck.Service.Features.Remittances;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Pages;
using CoverageCheck.Service.Security;

// Operator commands (`keys add …`, `--help`, or a mistyped command) run and exit; host arguments start the service.
if (await CommandLine.TryRunAsync(args))
{
    return;
}

// `dotnet run` is Development unless the caller says otherwise (see LaunchEnvironment).
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, EnvironmentName = LaunchEnvironment.Resolve() });

// One AddXxx per feature area; each lives in its feature folder.
builder.AddServiceDefaults();
builder.AddClearinghouse();
builder.AddEstimates();
builder.AddPayersApi();
builder.AddDatabase();
builder.AddSecurity();
builder.AddConsents();
builder.AddContracts();
builder.AddAuthorizations();
builder.AddRemittances();
builder.AddVerifications();
builder.AddCarveOuts();
builder.AddEligibility();
builder.AddObservability();
builder.AddBatches();
builder.AddGoodFaithEstimates();
builder.AddIntake();
builder.AddStaffPages();

var app = builder.Build();
if (!app.ConfigurationIsValid())
{
    return;
}

app.UseServiceDefaults();
app.UseStaffPages();   // security headers on every response, the pages' static files
app.UseCors();        // before authentication: browsers send preflights without a key
app.UseSecurity();
app.UseRateLimiter(); // after authentication: callers with a key are not limited
app.MapHealthApi();
app.MapEstimatesApi();
app.MapPayersApi();
app.MapVerificationsApi();
app.MapConsentsApi();
app.MapContractsApi();
app.MapAuthorizationsApi();
app.MapRemittancesApi();
app.MapEstimateAccuracyApi();
app.MapBatchesApi();
app.MapEligibilityApi();
app.MapSecurityApi();
app.MapGoodFaithEstimatesApi();
app.MapIntakeApi();
app.MapStaffPages();

app.Run();
