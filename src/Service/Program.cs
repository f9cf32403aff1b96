using CoverageCheck.Service.Data;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;

var builder = WebApplication.CreateBuilder(args);

// One AddXxx per feature area; each lives in its feature folder.
builder.AddServiceDefaults();
builder.AddDatabase();
builder.AddSecurity();

var app = builder.Build();

app.UseServiceDefaults();
app.UseSecurity();
app.MapHealthApi();
app.MapSecurityApi();

app.Run();
