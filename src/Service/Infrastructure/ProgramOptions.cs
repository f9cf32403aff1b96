using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Infrastructure;

/// <summary>
/// The program itself (<c>Program:*</c>): its time zone (<c>Program:TimeZone</c>, an IANA name, default
/// <c>America/Los_Angeles</c>), in which "today" is reckoned for staff (reviews due, the work queue).
/// </summary>
internal sealed class ProgramOptions
{
    public const string SectionName = "Program";

    [Required]
    public string TimeZone { get; set; } = "America/Los_Angeles";
}

[OptionsValidator]
internal sealed partial class ProgramOptionsValidator : IValidateOptions<ProgramOptions>;

internal sealed class ProgramOptionsCustomValidator : IValidateOptions<ProgramOptions>
{
    public ValidateOptionsResult Validate(string? name, ProgramOptions options) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Program:TimeZone '{options.TimeZone}' is not a time zone this machine knows (use an IANA name such as America/Los_Angeles).");
}

/// <summary>Today and now in the program's time zone, from the <see cref="TimeProvider"/>.</summary>
internal sealed class ProgramClock(TimeProvider timeProvider, IOptionsMonitor<ProgramOptions> options)
{
    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(options.CurrentValue.TimeZone);

    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), Zone).DateTime);
}

internal static class ProgramOptionsExtensions
{
    /// <summary>Registers <see cref="ProgramOptions"/> (validated at start-up) and <see cref="ProgramClock"/>; safe to call more than once.</summary>
    public static IServiceCollection AddProgramClock(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ProgramOptions>().BindConfiguration(ProgramOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProgramOptions>, ProgramOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProgramOptions>, ProgramOptionsCustomValidator>());
        services.TryAddSingleton<ProgramClock>();
        return services;
    }
}
