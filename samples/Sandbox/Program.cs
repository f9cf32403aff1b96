namespace CoverageCheck.Sandbox;

/// <summary>
/// Runs the sandbox clearinghouse on its own: <c>dotnet run --project samples/Sandbox -- --Sandbox:Port=5090</c>.
/// Settings come from the command line and environment (<c>Sandbox__LatencyMs=0</c>); see docs/sandbox.md.
/// </summary>
public static class SandboxProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var options = builder.Configuration.GetSection(SandboxOptions.SectionName).Get<SandboxOptions>() ?? new SandboxOptions();
        if (!builder.Configuration.GetSection("urls").Exists() && !builder.Configuration.GetSection("ASPNETCORE_URLS").Exists())
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{(options.Port == 0 ? 5090 : options.Port)}");
        }

        SandboxApp.AddSandbox(builder.Services, options, TimeProvider.System);
        var app = builder.Build();
        app.MapGet("/", () => "CoverageCheck sandbox clearinghouse: POST /medicalnetwork/eligibility/v3; GET /sandbox/members");
        app.MapSandboxApi();
        app.Run();
    }
}
