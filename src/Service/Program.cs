using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Data;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;

// Operator commands (`keys add …`) run and exit; anything else starts the service.
if (await CommandLine.TryRunAsync(args))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);

// One AddXxx per feature area; each lives in its feature folder.
builder.AddServiceDefaults();
builder.AddDatabase();
builder.AddSecurity();

var app = builder.Build();
if (!app.ConfigurationIsValid())
{
    return;
}

app.UseServiceDefaults();
app.UseSecurity();
app.MapHealthApi();
app.MapSecurityApi();

app.Run();
