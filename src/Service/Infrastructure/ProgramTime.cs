using System.Globalization;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Infrastructure;

/// <summary><c>Program:*</c>: where the program is. Times on staff pages are shown in its time zone.</summary>
internal sealed class ProgramOptions
{
    public const string SectionName = "Program";

    /// <summary>The IANA time zone of the program (<c>Program:TimeZone</c>); "today" on staff pages means today there.</summary>
    public string TimeZone { get; set; } = "America/Los_Angeles";
}

internal sealed class ProgramOptionsValidator : IValidateOptions<ProgramOptions>
{
    public ValidateOptionsResult Validate(string? name, ProgramOptions options) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Program:TimeZone '{options.TimeZone}' is not a time zone this machine knows (use an IANA name such as America/Los_Angeles).");
}

/// <summary>
/// The program's clock: now and today in <c>Program:TimeZone</c> (from <see cref="TimeProvider"/>), and moments
/// written as staff read them ("Dec 3, 2026 9:41 AM PST").
/// </summary>
internal sealed class ProgramTime(IOptionsMonitor<ProgramOptions> options, TimeProvider timeProvider)
{
    private static readonly CultureInfo s_us = CultureInfo.GetCultureInfo("en-US");

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(options.CurrentValue.TimeZone);

    public DateTimeOffset Now => TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), Zone);

    public DateOnly Today => DateOnly.FromDateTime(Now.DateTime);

    /// <summary>The moment today began in the program's time zone (a UTC offset that may differ from now's on a DST day).</summary>
    public DateTimeOffset StartOfToday => StartOf(Today);

    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    /// <summary>A moment in the program's time zone, to the minute: "Dec 3, 2026 9:41 AM PST".</summary>
    public string Format(DateTimeOffset? at) => at is { } value ? Local(value).ToString("MMM d, yyyy h:mm tt", s_us) + " " + Abbreviation(value) : "not recorded";

    /// <summary>A moment today as a time only ("9:41 AM"), another day with its date.</summary>
    public string Short(DateTimeOffset at)
    {
        var local = Local(at);
        return DateOnly.FromDateTime(local.DateTime) == Today ? local.ToString("h:mm tt", s_us) : local.ToString("MMM d, h:mm tt", s_us);
    }

    public DateTimeOffset Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Zone);

    // The zone's usual abbreviation where .NET has none to give (it offers only the long names on Linux).
    private string Abbreviation(DateTimeOffset at)
    {
        var zone = Zone;
        var daylight = zone.IsDaylightSavingTime(at);
        return zone.Id switch
        {
            "America/Los_Angeles" => daylight ? "PDT" : "PST",
            "America/Denver" or "America/Phoenix" => daylight ? "MDT" : "MST",
            "America/Chicago" => daylight ? "CDT" : "CST",
            "America/New_York" => daylight ? "EDT" : "EST",
            "UTC" or "Etc/UTC" => "UTC",
            _ => "UTC" + Local(at).ToString("zzz", CultureInfo.InvariantCulture),
        };
    }
}

internal static class ProgramTimeExtensions
{
    public static IServiceCollection AddProgramTime(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<ProgramOptions>().BindConfiguration(ProgramOptions.SectionName);
        services.AddSingleton<IValidateOptions<ProgramOptions>, ProgramOptionsValidator>();
        services.AddSingleton<ProgramTime>();
        return services;
    }
}
