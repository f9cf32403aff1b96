using System.Globalization;
using System.Text.Json;

namespace CoverageCheck.Estimator.Tests;

/// <summary>One reference case (<c>request</c> + <c>expected</c>) from the contract's estimator-cases folder.</summary>
public sealed record ReferenceCase(string Id, string Path, EstimateRequest Request, JsonElement Expected)
{
    public override string ToString() => Id;

    public static ReferenceCase Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        return new ReferenceCase(
            root.GetProperty("id").GetString()!,
            path,
            ReadRequest(root.GetProperty("request")),
            root.GetProperty("expected").Clone());
    }

    /// <summary>
    /// The cases folder of the shared project knowledge (<c>../shared/domain/estimator-cases</c> beside the repository),
    /// or null when this checkout has no shared folder beside it.
    /// </summary>
    public static string? SharedCasesDirectory()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "CoverageCheck.sln")))
            {
                var shared = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory.FullName, "..", "shared", "domain", "estimator-cases"));
                return Directory.Exists(shared) ? shared : null;
            }
        }

        return null;
    }

    // The cases are well-formed, so this reader trusts them; the service's tolerant reader is tested over HTTP.
    private static EstimateRequest ReadRequest(JsonElement request)
    {
        var program = request.GetProperty("program");
        var pricing = request.TryGetProperty("pricing", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        return new EstimateRequest
        {
            Program = new ProgramSchedule
            {
                StartDate = Date(program, "startDate"),
                Weeks = Int(program, "weeks"),
                DaysPerWeek = Int(program, "daysPerWeek"),
                SessionWeekdays = Array(program, "sessionWeekdays", e => Weekday(e.GetString()!)),
                SessionDates = Array(program, "sessionDates", e => DateOnly.Parse(e.GetString()!, CultureInfo.InvariantCulture)),
                ClosedDates = Array(program, "closedDates", e => DateOnly.Parse(e.GetString()!, CultureInfo.InvariantCulture)),
            },
            Pricing = new Pricing(
                Money(pricing, "chargePerDay")!.Value,
                Money(pricing, "allowedPerDay"),
                Money(pricing, "selfPayPerDay"),
                Money(pricing, "selfPayPackagePrice")),
            Coverage = request.TryGetProperty("coverage", out var c) && c.ValueKind == JsonValueKind.Object ? ReadCoverage(c) : null,
            Range = request.TryGetProperty("range", out var r) && r.ValueKind == JsonValueKind.Object
                ? new ProgramRange(
                    new IntRange(r.GetProperty("weeks").GetProperty("min").GetInt32(), r.GetProperty("weeks").GetProperty("max").GetInt32()),
                    new IntRange(r.GetProperty("daysPerWeek").GetProperty("min").GetInt32(), r.GetProperty("daysPerWeek").GetProperty("max").GetInt32()))
                : null,
        };
    }

    private static Coverage ReadCoverage(JsonElement c)
    {
        var deductible = Object(c, "deductible");
        var oop = Object(c, "outOfPocketMax");
        var met = Object(c, "accumulators");
        return new Coverage
        {
            Status = Text(c, "status") is "inactive" ? CoverageStatus.Inactive : CoverageStatus.Active,
            Network = Text(c, "network") is "out" ? NetworkStatus.Out : NetworkStatus.In,
            PlanYearStart = Text(c, "planYearStart") is { } start && PlanYearStart.TryParse(start, out var parsed) ? parsed : PlanYearStart.January1,
            CoverageEndDate = Date(c, "coverageEndDate"),
            Deductible = new Deductible
            {
                Individual = Money(deductible, "individual"),
                Family = Money(deductible, "family"),
                Embedded = Bool(deductible, "embedded") ?? true,
                AppliesToService = Bool(deductible, "appliesToService") ?? true,
            },
            CopayPerDay = Money(c, "copayPerDay") ?? 0m,
            CopayCountsTowardOutOfPocket = Bool(c, "copayCountsTowardOutOfPocket") ?? true,
            CoinsurancePercent = Money(c, "coinsurancePercent") ?? 0m,
            OutOfPocketMax = oop.ValueKind == JsonValueKind.Object ? new OutOfPocketMax(Money(oop, "individual"), Money(oop, "family")) : null,
            VisitLimitPerPlanYear = Int(c, "visitLimitPerPlanYear"),
            PriorAuthorizationRequired = Bool(c, "priorAuthorizationRequired") ?? false,
            Accumulators = new Accumulators
            {
                DeductibleIndividualMet = Money(met, "deductibleIndividualMet") ?? 0m,
                DeductibleFamilyMet = Money(met, "deductibleFamilyMet") ?? 0m,
                OutOfPocketIndividualMet = Money(met, "outOfPocketIndividualMet") ?? 0m,
                OutOfPocketFamilyMet = Money(met, "outOfPocketFamilyMet") ?? 0m,
                VisitsUsed = Int(met, "visitsUsed") ?? 0,
            },
        };
    }

    public static DayOfWeek Weekday(string text) => text switch
    {
        "Sun" => DayOfWeek.Sunday,
        "Mon" => DayOfWeek.Monday,
        "Tue" => DayOfWeek.Tuesday,
        "Wed" => DayOfWeek.Wednesday,
        "Thu" => DayOfWeek.Thursday,
        "Fri" => DayOfWeek.Friday,
        "Sat" => DayOfWeek.Saturday,
        _ => throw new FormatException($"Unknown weekday {text}"),
    };

    private static JsonElement? Value(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    private static JsonElement Object(JsonElement parent, string name) => Value(parent, name) ?? default;

    private static string? Text(JsonElement parent, string name) => Value(parent, name)?.GetString();

    private static decimal? Money(JsonElement parent, string name) => Value(parent, name)?.GetDecimal();

    private static int? Int(JsonElement parent, string name) => Value(parent, name)?.GetInt32();

    private static bool? Bool(JsonElement parent, string name) => Value(parent, name)?.GetBoolean();

    private static DateOnly? Date(JsonElement parent, string name) =>
        Text(parent, name) is { } text ? DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    private static T[]? Array<T>(JsonElement parent, string name, Func<JsonElement, T> read) =>
        Value(parent, name) is { } array ? array.EnumerateArray().Select(read).ToArray() : null;
}
