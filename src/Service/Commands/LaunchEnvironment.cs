namespace CoverageCheck.Service.Commands;

/// <summary>
/// The environment <c>dotnet run</c> starts in. The launch profile (Properties/launchSettings.json) sets
/// <c>COVERAGECHECK_LAUNCH_ENVIRONMENT=Development</c> rather than <c>ASPNETCORE_ENVIRONMENT</c>, which it would force
/// over the caller's (and <c>DOTNET_ENVIRONMENT</c> would too: it beats <c>ASPNETCORE_ENVIRONMENT</c> in
/// <c>WebApplication.CreateBuilder</c>). So <c>dotnet run</c> alone is Development, and
/// <c>ASPNETCORE_ENVIRONMENT=Production dotnet run</c> is Production.
/// </summary>
internal static class LaunchEnvironment
{
    public const string Variable = "COVERAGECHECK_LAUNCH_ENVIRONMENT";

    /// <summary>The launch profile's environment when the caller set none; null leaves the framework's rules.</summary>
    public static string? Resolve(Func<string, string?> variable) =>
        string.IsNullOrWhiteSpace(variable("ASPNETCORE_ENVIRONMENT")) && string.IsNullOrWhiteSpace(variable("DOTNET_ENVIRONMENT"))
            ? NullIfEmpty(variable(Variable))
            : null;

    public static string? Resolve() => Resolve(Environment.GetEnvironmentVariable);

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
