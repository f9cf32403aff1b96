namespace CoverageCheck.Service.Infrastructure;

/// <summary>
/// Which hosts get the production rules (no sandbox by default, HSTS and HTTPS redirection, <c>Secure</c>
/// <c>__Host-</c> cookies): every environment except Development and the test hosts' Testing, so a Staging or a
/// misspelt environment name is treated as Production rather than relaxed.
/// </summary>
internal static class ProductionEnvironment
{
    public const string Testing = "Testing";

    public static bool IsProductionLike(this IHostEnvironment environment) =>
        !environment.IsDevelopment() && !environment.IsEnvironment(Testing);
}
