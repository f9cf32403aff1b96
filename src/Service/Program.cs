using CoverageCheck.Service.Infrastructure;

var builder = WebApplication.CreateBuilder(args);

// One AddXxx per feature area; each lives in its feature folder.
builder.AddServiceDefaults();

var app = builder.Build();

app.UseServiceDefaults();
app.MapHealthApi();

app.Run();
