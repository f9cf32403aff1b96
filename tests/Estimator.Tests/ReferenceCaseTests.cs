using System.Globalization;
using System.Text.Json;

namespace CoverageCheck.Estimator.Tests;

/// <summary>Every reference case of the contract, reproduced to the cent through the library.</summary>
public sealed class ReferenceCaseTests
{
    private static readonly string CopiedCases = Path.Combine(AppContext.BaseDirectory, "Cases");

    public static IEnumerable<TestCaseData> CopiedCaseFiles() =>
        Directory.EnumerateFiles(CopiedCases, "*.json").Order(StringComparer.Ordinal)
            .Select(path => new TestCaseData(path).SetArgDisplayNames(Path.GetFileNameWithoutExtension(path)));

    [Test]
    public void The_copied_cases_are_all_there()
    {
        Assert.That(Directory.EnumerateFiles(CopiedCases, "*.json").Count(), Is.GreaterThanOrEqualTo(13));
    }

    [TestCaseSource(nameof(CopiedCaseFiles))]
    public void Copied_reference_case_is_reproduced_to_the_cent(string path) => AssertCase(ReferenceCase.Load(path));

    [Test]
    public void Shared_reference_cases_are_reproduced_to_the_cent()
    {
        var shared = ReferenceCase.SharedCasesDirectory();
        if (shared is null)
        {
            Assert.Ignore("../shared/domain/estimator-cases is not beside this checkout; the copies in Cases/ were run instead.");
        }

        var files = Directory.GetFiles(shared, "*.json");
        Assert.That(files, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                AssertCase(ReferenceCase.Load(file));
            }
        });
    }

    [Test]
    public void Shared_cases_and_copies_are_the_same_files()
    {
        var shared = ReferenceCase.SharedCasesDirectory();
        if (shared is null)
        {
            Assert.Ignore("../shared/domain/estimator-cases is not beside this checkout.");
        }

        foreach (var file in Directory.GetFiles(shared, "*.json"))
        {
            var copy = Path.Combine(CopiedCases, Path.GetFileName(file));
            Assert.That(File.Exists(copy), Is.True, $"{Path.GetFileName(file)} is not copied into tests/Estimator.Tests/Cases");
            Assert.That(File.ReadAllText(copy), Is.EqualTo(File.ReadAllText(file)), $"{Path.GetFileName(file)} differs from the shared case");
        }
    }

    private static void AssertCase(ReferenceCase @case)
    {
        Assert.That(@case.Request.Validate(), Is.Empty, $"{@case.Id}: the request is valid");
        var result = CostEstimator.Estimate(@case.Request);
        AssertEstimate(@case.Id, result, @case.Expected);

        if (@case.Expected.TryGetProperty("range", out var range))
        {
            Assert.That(result.Range, Is.Not.Null, $"{@case.Id}: range");
            AssertEstimate(@case.Id + " range.low", result.Range!.Low, range.GetProperty("low"));
            AssertEstimate(@case.Id + " range.high", result.Range.High, range.GetProperty("high"));
        }
        else
        {
            Assert.That(result.Range, Is.Null, $"{@case.Id}: no range");
        }
    }

    private static void AssertEstimate(string id, EstimateResult actual, JsonElement expected)
    {
        Assert.Multiple(() =>
        {
            Assert.That(actual.Sessions, Is.EqualTo(expected.GetProperty("sessions").GetInt32()), $"{id}: sessions");
            Assert.That(actual.FirstSession, Is.EqualTo(Date(expected.GetProperty("firstSession"))), $"{id}: firstSession");
            Assert.That(actual.LastSession, Is.EqualTo(Date(expected.GetProperty("lastSession"))), $"{id}: lastSession");

            var totals = expected.GetProperty("totals");
            Assert.That(actual.Totals, Is.EqualTo(new EstimateTotals(
                totals.GetProperty("charges").GetDecimal(),
                totals.GetProperty("allowed").GetDecimal(),
                totals.GetProperty("patient").GetDecimal(),
                totals.GetProperty("payer").GetDecimal())), $"{id}: totals");

            var breakdown = expected.GetProperty("breakdown");
            Assert.That(actual.Breakdown, Is.EqualTo(new CostBreakdown(
                breakdown.GetProperty("copay").GetDecimal(),
                breakdown.GetProperty("deductible").GetDecimal(),
                breakdown.GetProperty("coinsurance").GetDecimal(),
                breakdown.GetProperty("balanceBill").GetDecimal(),
                breakdown.GetProperty("selfPay").GetDecimal())), $"{id}: breakdown");

            var monthly = expected.GetProperty("monthly").EnumerateArray().Select(row => (
                row.GetProperty("month").GetString(),
                row.GetProperty("sessions").GetInt32(),
                row.GetProperty("patient").GetDecimal(),
                row.GetProperty("payer").GetDecimal())).ToArray();
            var actualMonthly = actual.Monthly.Select(row => (
                string.Create(CultureInfo.InvariantCulture, $"{row.Year:0000}-{row.Month:00}"),
                row.Sessions,
                row.Patient,
                row.Payer)).ToArray();
            Assert.That(actualMonthly, Is.EqualTo(monthly), $"{id}: monthly");

            var warnings = expected.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ToArray();
            Assert.That(actual.Warnings, Is.EqualTo(warnings), $"{id}: warnings");

            Assert.That(actual.SessionsDetail, Has.Count.EqualTo(actual.Sessions), $"{id}: one ledger line per session");
            if (expected.TryGetProperty("sessionsDetail", out var detail))
            {
                AssertDetail(id, actual.SessionsDetail, detail);
            }
        });
    }

    private static void AssertDetail(string id, IReadOnlyList<SessionEstimate> actual, JsonElement expected)
    {
        var rows = expected.EnumerateArray().ToArray();
        Assert.That(actual, Has.Count.EqualTo(rows.Length), $"{id}: sessionsDetail rows");
        for (var i = 0; i < Math.Min(rows.Length, actual.Count); i++)
        {
            var row = rows[i];
            var line = actual[i];
            Assert.That(
                (line.Date, line.Charge, line.Allowed, line.Copay, line.Deductible, line.Coinsurance, line.BalanceBill, line.SelfPay, line.Patient, line.Payer),
                Is.EqualTo((Date(row.GetProperty("date")), row.GetProperty("charge").GetDecimal(), row.GetProperty("allowed").GetDecimal(),
                    row.GetProperty("copay").GetDecimal(), row.GetProperty("deductible").GetDecimal(), row.GetProperty("coinsurance").GetDecimal(),
                    row.GetProperty("balanceBill").GetDecimal(), row.GetProperty("selfPay").GetDecimal(), row.GetProperty("patient").GetDecimal(),
                    row.GetProperty("payer").GetDecimal())),
                $"{id}: sessionsDetail[{i}]");
        }
    }

    private static DateOnly Date(JsonElement element) =>
        DateOnly.ParseExact(element.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
