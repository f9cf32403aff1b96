using System.Globalization;
using CsCheck;

namespace CoverageCheck.Estimator.Tests;

/// <summary>The explanation's quick formats must write exactly what the invariant culture's formats write.</summary>
public sealed class TextFormatTests
{
    private static readonly Gen<decimal> Amounts = Gen.OneOf(
        Gen.Long[-10_000_000_000, 10_000_000_000].Select(cents => cents / 100m),
        Gen.Long[-100_000, 100_000].Select(cents => cents / 10m),
        Gen.Long[-100_000, 100_000].Select(whole => (decimal)whole),
        Gen.Long[-10_000_000, 10_000_000].Select(tenths => tenths / 1000m),
        Gen.Decimal);

    [Test]
    public void Dollars_writes_what_N2_writes() =>
        Amounts.Sample(amount => Assert.That(string.Create(CultureInfo.InvariantCulture, $"{new Dollars(amount)}"), Is.EqualTo(amount.ToString("N2", CultureInfo.InvariantCulture)), amount.ToString(CultureInfo.InvariantCulture)), iter: 20_000);

    [TestCase("0")]
    [TestCase("0.00")]
    [TestCase("-0.00")]
    [TestCase("999.995")]
    [TestCase("1000")]
    [TestCase("999999.99")]
    [TestCase("-1234567.5")]
    [TestCase("99999999999999.99")]
    [TestCase("100000000000000")]
    [TestCase("79228162514264337593543950335")]
    public void Dollars_writes_what_N2_writes_at_the_edges(string text)
    {
        var amount = decimal.Parse(text, CultureInfo.InvariantCulture);
        Assert.That(string.Create(CultureInfo.InvariantCulture, $"{new Dollars(amount)}"), Is.EqualTo(amount.ToString("N2", CultureInfo.InvariantCulture)));
    }

    [Test]
    public void LongDate_writes_what_MMMM_d_yyyy_writes() =>
        Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber].Select(DateOnly.FromDayNumber).Sample(
            date => Assert.That(string.Create(CultureInfo.InvariantCulture, $"{new LongDate(date)}"), Is.EqualTo(date.ToString("MMMM d, yyyy", CultureInfo.InvariantCulture))),
            iter: 20_000);
}
