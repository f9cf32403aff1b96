namespace CoverageCheck.Sandbox;

/// <summary>Runs the sandbox clearinghouse on its own: <c>dotnet run --project samples/Sandbox</c>.</summary>
public static class SandboxProgram
{
    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var app = builder.Build();
        app.MapGet("/", () => "CoverageCheck sandbox clearinghouse");
        app.Run();
    }
}
