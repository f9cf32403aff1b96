using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Features.Intake;

/// <summary>The website intake's abuse limits (<c>Intake:*</c>); CORS origins are <c>Website:AllowedOrigins</c>.</summary>
internal sealed class IntakeOptions
{
    public const string SectionName = "Intake";

    /// <summary>Requests per client address per <see cref="RateWindow"/>.</summary>
    [Range(1, 10_000)]
    public int PermitsPerAddress { get; set; } = 5;

    /// <summary>Requests from everyone together per <see cref="RateWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int GlobalPermits { get; set; } = 200;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Leading hex zeros the proof-of-work asks for; 0 turns it off.</summary>
    [Range(0, 6)]
    public int Difficulty { get; set; } = 3;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan FormTokenLifetime { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A person takes longer than this to fill in the form.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MinimumFillTime { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>The largest body accepted (413 above).</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 16 * 1024;
}

[OptionsValidator]
internal sealed partial class IntakeOptionsValidator : IValidateOptions<IntakeOptions>;
