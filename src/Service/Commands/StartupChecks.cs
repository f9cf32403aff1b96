using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Commands;

internal static class StartupChecks
{
    /// <summary>
    /// Validates every option registered with ValidateOnStart before the host starts, and reports each problem as one
    /// sentence on standard error (no stack trace). Returns false, with exit code 1, when the service must not start.
    /// </summary>
    public static bool ConfigurationIsValid(this WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (OptionsValidationException ex)
        {
            Report(ex.Failures);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            Report(ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(inner => inner.Failures));
        }

        Environment.ExitCode = 1;
        return false;
    }

    private static void Report(IEnumerable<string> failures)
    {
        foreach (var failure in failures.Distinct(StringComparer.Ordinal))
        {
            Console.Error.WriteLine($"CoverageCheck cannot start: {failure}");
        }
    }
}
