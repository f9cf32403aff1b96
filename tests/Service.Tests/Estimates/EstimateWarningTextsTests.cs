using System.Reflection;
using System.Text.RegularExpressions;
using CoverageCheck.Estimator;
using CoverageCheck.Service.Features.Estimates;

namespace CoverageCheck.Service.Tests.Estimates;

/// <summary>One home per warning code, with staff and patient wording (issue #13).</summary>
internal sealed partial class EstimateWarningTextsTests
{
    private static IEnumerable<string> EstimatorCodes() =>
        typeof(EstimateWarnings).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.IsLiteral)
            .Select(field => (string)field.GetRawConstantValue()!);

    [Test]
    public void Every_code_the_estimator_or_the_service_can_raise_has_staff_and_patient_wording()
    {
        var codes = EstimatorCodes().Append(EstimateWarningTexts.ChargeUnknown).ToArray();

        Assert.That(codes, Has.Length.GreaterThan(8));
        Assert.Multiple(() =>
        {
            foreach (var code in codes)
            {
                Assert.That(EstimateWarningTexts.IsKnown(code), Is.True, code);
                var text = EstimateWarningTexts.For(code);
                Assert.That(text.Staff, Does.EndWith(".").And.Length.GreaterThan(30), code);
                Assert.That(text.Patient, Does.EndWith(".").And.Length.GreaterThan(30), code);
                Assert.That(text.Patient, Is.Not.EqualTo(text.Staff), code);
            }
        });
    }

    [Test]
    public void Every_code_in_the_source_tree_is_in_the_catalogue()
    {
        // A code raised as a literal somewhere (outside the catalogue and the estimator's constants) would bypass it.
        var src = Path.Combine(EstimateCases.RepositoryRoot(), "src");
        var raised = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(path => WarningsAdd().Matches(File.ReadAllText(path)).Select(match => match.Groups["code"].Value))
            .Distinct(StringComparer.Ordinal)
            .ToArray();

        Assert.That(raised.Where(code => !EstimateWarningTexts.IsKnown(code)), Is.Empty);
    }

    [Test]
    public void An_unknown_code_is_shown_as_itself_not_hidden()
    {
        var text = EstimateWarningTexts.For("brand-new-code");

        Assert.That(EstimateWarningTexts.IsKnown("brand-new-code"), Is.False);
        Assert.That(text.Staff, Does.Contain("brand-new-code"));
        Assert.That(text.Patient, Does.Contain("brand-new-code"));
    }

    [GeneratedRegex("""[Ww]arnings?\.Add\("(?<code>[a-z][a-z-]+)"\)""")]
    private static partial Regex WarningsAdd();
}
