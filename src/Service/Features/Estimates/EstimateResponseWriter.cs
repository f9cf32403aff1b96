using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace CoverageCheck.Service.Features.Estimates;

/// <summary>
/// Writes <see cref="EstimateResponse"/> as JSON, byte for byte what
/// <c>JsonSerializer.Serialize(response, EstimatesJsonContext.Default.EstimateResponse)</c> writes, at less CPU.
/// </summary>
/// <remarks>
/// <para>
/// The estimates endpoint is called on every change of an input in the website's calculator, and its CPU per request
/// is the one performance target not met (docs/performance.md, "Known limits"). Of the serializer's 5–6 µs for a
/// 5.6 KB answer, most went to formatting its ~60 money amounts through the general <see cref="decimal"/> formatter.
/// Here money that is in whole cents (scale 0–2, mantissa under 2^64) is formatted from the integer mantissa, and
/// dates from their year, month and day; everything else goes through the same <see cref="Utf8JsonWriter"/> calls the
/// serializer makes, so strings are escaped by the same encoder.
/// </para>
/// <para>
/// <c>EstimateResponseWriterTests</c> hold this class to the source-generated serializer byte for byte, over the
/// reference cases, the samples and thousands of random requests. A member added to a DTO is written by the
/// serializer and not here until it is added below, so that test fails until it is.
/// </para>
/// </remarks>
internal static class EstimateResponseWriter
{
    private static readonly JsonEncodedText Sessions = JsonEncodedText.Encode("sessions");
    private static readonly JsonEncodedText FirstSession = JsonEncodedText.Encode("firstSession");
    private static readonly JsonEncodedText LastSession = JsonEncodedText.Encode("lastSession");
    private static readonly JsonEncodedText Totals = JsonEncodedText.Encode("totals");
    private static readonly JsonEncodedText Breakdown = JsonEncodedText.Encode("breakdown");
    private static readonly JsonEncodedText Monthly = JsonEncodedText.Encode("monthly");
    private static readonly JsonEncodedText Warnings = JsonEncodedText.Encode("warnings");
    private static readonly JsonEncodedText Range = JsonEncodedText.Encode("range");
    private static readonly JsonEncodedText SessionsDetail = JsonEncodedText.Encode("sessionsDetail");
    private static readonly JsonEncodedText Explanation = JsonEncodedText.Encode("explanation");
    private static readonly JsonEncodedText Disclaimer = JsonEncodedText.Encode("disclaimer");
    private static readonly JsonEncodedText Pricing = JsonEncodedText.Encode("pricing");
    private static readonly JsonEncodedText ChargeRange = JsonEncodedText.Encode("chargeRange");

    private static readonly JsonEncodedText Charges = JsonEncodedText.Encode("charges");
    private static readonly JsonEncodedText Allowed = JsonEncodedText.Encode("allowed");
    private static readonly JsonEncodedText Patient = JsonEncodedText.Encode("patient");
    private static readonly JsonEncodedText Payer = JsonEncodedText.Encode("payer");

    private static readonly JsonEncodedText Copay = JsonEncodedText.Encode("copay");
    private static readonly JsonEncodedText Deductible = JsonEncodedText.Encode("deductible");
    private static readonly JsonEncodedText Coinsurance = JsonEncodedText.Encode("coinsurance");
    private static readonly JsonEncodedText BalanceBill = JsonEncodedText.Encode("balanceBill");
    private static readonly JsonEncodedText SelfPay = JsonEncodedText.Encode("selfPay");

    private static readonly JsonEncodedText Month = JsonEncodedText.Encode("month");
    private static readonly JsonEncodedText Low = JsonEncodedText.Encode("low");
    private static readonly JsonEncodedText High = JsonEncodedText.Encode("high");
    private static readonly JsonEncodedText Date = JsonEncodedText.Encode("date");
    private static readonly JsonEncodedText Charge = JsonEncodedText.Encode("charge");

    private static readonly JsonEncodedText ChargePerDay = JsonEncodedText.Encode("chargePerDay");
    private static readonly JsonEncodedText AllowedPerDay = JsonEncodedText.Encode("allowedPerDay");
    private static readonly JsonEncodedText SelfPayPerDay = JsonEncodedText.Encode("selfPayPerDay");
    private static readonly JsonEncodedText SelfPayPackagePrice = JsonEncodedText.Encode("selfPayPackagePrice");
    private static readonly JsonEncodedText ChargeKnown = JsonEncodedText.Encode("chargeKnown");
    private static readonly JsonEncodedText ChargeSource = JsonEncodedText.Encode("chargeSource");
    private static readonly JsonEncodedText ChargePerDayLow = JsonEncodedText.Encode("chargePerDayLow");
    private static readonly JsonEncodedText ChargePerDayHigh = JsonEncodedText.Encode("chargePerDayHigh");

    // One writer per thread, reset onto each output: WriteTo allocates nothing of its own, as the serializer's
    // pooled writers do not. Write never yields, so a thread cannot re-enter it.
    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    /// <summary>
    /// The writer options the serializer derives from <c>EstimatesJsonContext</c>'s options (the web defaults: the
    /// default encoder, not indented), without its structural checks, as it runs in release builds.
    /// </summary>
    internal static JsonWriterOptions WriterOptions { get; } = new()
    {
        Encoder = EstimatesJsonContext.Default.Options.Encoder,
        Indented = EstimatesJsonContext.Default.Options.WriteIndented,
        SkipValidation = true,
    };

    /// <summary>Writes <paramref name="response"/> to <paramref name="output"/> with <see cref="WriterOptions"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    internal static int WriteTo(IBufferWriter<byte> output, EstimateResponse response)
    {
        var writer = _writer;
        if (writer is null)
        {
            writer = _writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            writer.Reset(output);
        }

        try
        {
            Write(writer, response);
            writer.Flush();
            return checked((int)writer.BytesCommitted);
        }
        finally
        {
            writer.Reset(NoOutput.Instance); // do not keep the caller's output (a response's pipe) alive
        }
    }

    /// <summary>Writes <paramref name="response"/> as one JSON value: an object, or <c>null</c>.</summary>
    public static void Write(Utf8JsonWriter writer, EstimateResponse response)
    {
        if (response is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteNumber(Sessions, response.Sessions);
        WriteDate(writer, FirstSession, response.FirstSession);
        WriteDate(writer, LastSession, response.LastSession);
        WriteTotals(writer, response.Totals);
        WriteBreakdown(writer, response.Breakdown);
        WriteMonthly(writer, response.Monthly);
        WriteStrings(writer, Warnings, response.Warnings);
        if (response.Range is { } range)
        {
            writer.WritePropertyName(Range);
            writer.WriteStartObject();
            writer.WritePropertyName(Low);
            Write(writer, range.Low);
            writer.WritePropertyName(High);
            Write(writer, range.High);
            writer.WriteEndObject();
        }

        if (response.SessionsDetail is { } sessions)
        {
            WriteSessions(writer, sessions);
        }

        writer.WriteString(Explanation, response.Explanation);
        writer.WriteString(Disclaimer, response.Disclaimer);
        if (response.Pricing is { } pricing)
        {
            WritePricing(writer, pricing);
        }

        if (response.ChargeRange is { } chargeRange)
        {
            writer.WritePropertyName(ChargeRange);
            writer.WriteStartObject();
            WriteMoney(writer, ChargePerDayLow, chargeRange.ChargePerDayLow);
            WriteMoney(writer, ChargePerDayHigh, chargeRange.ChargePerDayHigh);
            writer.WritePropertyName(Low);
            Write(writer, chargeRange.Low);
            writer.WritePropertyName(High);
            Write(writer, chargeRange.High);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteTotals(Utf8JsonWriter writer, TotalsDto totals)
    {
        if (totals is null)
        {
            writer.WriteNull(Totals);
            return;
        }

        writer.WritePropertyName(Totals);
        writer.WriteStartObject();
        WriteMoney(writer, Charges, totals.Charges);
        WriteMoney(writer, Allowed, totals.Allowed);
        WriteMoney(writer, Patient, totals.Patient);
        WriteMoney(writer, Payer, totals.Payer);
        writer.WriteEndObject();
    }

    private static void WriteBreakdown(Utf8JsonWriter writer, BreakdownDto breakdown)
    {
        if (breakdown is null)
        {
            writer.WriteNull(Breakdown);
            return;
        }

        writer.WritePropertyName(Breakdown);
        writer.WriteStartObject();
        WriteMoney(writer, Copay, breakdown.Copay);
        WriteMoney(writer, Deductible, breakdown.Deductible);
        WriteMoney(writer, Coinsurance, breakdown.Coinsurance);
        WriteMoney(writer, BalanceBill, breakdown.BalanceBill);
        WriteMoney(writer, SelfPay, breakdown.SelfPay);
        writer.WriteEndObject();
    }

    private static void WriteMonthly(Utf8JsonWriter writer, IReadOnlyList<MonthlyDto> monthly)
    {
        if (monthly is null)
        {
            writer.WriteNull(Monthly);
            return;
        }

        writer.WriteStartArray(Monthly);
        for (var i = 0; i < monthly.Count; i++)
        {
            if (monthly[i] is not { } month)
            {
                writer.WriteNullValue();
                continue;
            }

            writer.WriteStartObject();
            writer.WriteString(Month, month.Month);
            writer.WriteNumber(Sessions, month.Sessions);
            WriteMoney(writer, Patient, month.Patient);
            WriteMoney(writer, Payer, month.Payer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> values)
    {
        if (values is null)
        {
            writer.WriteNull(name);
            return;
        }

        writer.WriteStartArray(name);
        for (var i = 0; i < values.Count; i++)
        {
            writer.WriteStringValue(values[i]); // null writes null
        }

        writer.WriteEndArray();
    }

    private static void WriteSessions(Utf8JsonWriter writer, IReadOnlyList<SessionDto> sessions)
    {
        writer.WriteStartArray(SessionsDetail);
        for (var i = 0; i < sessions.Count; i++)
        {
            if (sessions[i] is not { } session)
            {
                writer.WriteNullValue();
                continue;
            }

            writer.WriteStartObject();
            WriteDate(writer, Date, session.Date);
            WriteMoney(writer, Charge, session.Charge);
            WriteMoney(writer, Allowed, session.Allowed);
            WriteMoney(writer, Copay, session.Copay);
            WriteMoney(writer, Deductible, session.Deductible);
            WriteMoney(writer, Coinsurance, session.Coinsurance);
            WriteMoney(writer, BalanceBill, session.BalanceBill);
            WriteMoney(writer, SelfPay, session.SelfPay);
            WriteMoney(writer, Patient, session.Patient);
            WriteMoney(writer, Payer, session.Payer);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WritePricing(Utf8JsonWriter writer, PricingUsedDto pricing)
    {
        writer.WritePropertyName(Pricing);
        writer.WriteStartObject();
        WriteMoney(writer, ChargePerDay, pricing.ChargePerDay);
        WriteMoney(writer, AllowedPerDay, pricing.AllowedPerDay);
        WriteMoney(writer, SelfPayPerDay, pricing.SelfPayPerDay);
        if (pricing.SelfPayPackagePrice is { } package)
        {
            WriteMoney(writer, SelfPayPackagePrice, package);
        }
        else
        {
            writer.WriteNull(SelfPayPackagePrice); // no ignore condition on this member: the serializer writes null
        }

        writer.WriteBoolean(ChargeKnown, pricing.ChargeKnown);
        writer.WriteString(ChargeSource, pricing.ChargeSource);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Writes a decimal as <see cref="Utf8JsonWriter.WriteNumberValue(decimal)"/> would: every digit of the mantissa,
    /// with as many after the point as the scale says (<c>1200</c>, <c>1200.5</c>, <c>1200.00</c>, <c>0.05</c>), and no
    /// sign on a negative zero (<c>-0.00m</c> prints <c>0.00</c>). Scales above 2 and mantissas of 2^64 or more take
    /// the writer's own path.
    /// </summary>
    private static void WriteMoney(Utf8JsonWriter writer, JsonEncodedText name, decimal value)
    {
        writer.WritePropertyName(name);

        var bits = default(DecimalBits);
        decimal.GetBits(value, bits);
        var flags = bits[3];
        var scale = (flags >> 16) & 0xFF;
        if (bits[2] != 0 || scale > 2)
        {
            writer.WriteNumberValue(value);
            return;
        }

        var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];

        // Right to left: the decimals, the point, the whole part (at least "0"), the sign.
        var buffer = default(MoneyText);
        Span<byte> text = buffer;
        var start = text.Length;
        var rest = mantissa;
        if (scale > 0)
        {
            for (var digit = 0; digit < scale; digit++)
            {
                text[--start] = (byte)('0' + (rest % 10));
                rest /= 10;
            }

            text[--start] = (byte)'.';
        }

        do
        {
            text[--start] = (byte)('0' + (rest % 10));
            rest /= 10;
        }
        while (rest != 0);

        if (flags < 0 && mantissa != 0)
        {
            text[--start] = (byte)'-';
        }

        // A property value, never an array item: the raw value lands where WriteNumberValue's would, indented or not.
        writer.WriteRawValue(text[start..], skipInputValidation: true);
    }

    /// <summary>Writes a date as the serializer's <see cref="DateOnly"/> converter does: <c>"yyyy-MM-dd"</c>, or <c>null</c>.</summary>
    private static void WriteDate(Utf8JsonWriter writer, JsonEncodedText name, DateOnly? value)
    {
        if (value is not { } date)
        {
            writer.WriteNull(name);
            return;
        }

        var (year, month, day) = date;
        var buffer = default(DateText);
        Span<byte> text = buffer;
        text[0] = (byte)'"';
        text[1] = (byte)('0' + (year / 1000));
        text[2] = (byte)('0' + (year / 100 % 10));
        text[3] = (byte)('0' + (year / 10 % 10));
        text[4] = (byte)('0' + (year % 10));
        text[5] = (byte)'-';
        text[6] = (byte)('0' + (month / 10));
        text[7] = (byte)('0' + (month % 10));
        text[8] = (byte)'-';
        text[9] = (byte)('0' + (day / 10));
        text[10] = (byte)('0' + (day % 10));
        text[11] = (byte)'"';

        // Digits and dashes need no escaping, so the quoted text is written as is, skipping WriteStringValue's scan.
        writer.WritePropertyName(name);
        writer.WriteRawValue(text, skipInputValidation: true);
    }

    // Fixed-size locals rather than stackalloc, which costs a stack cookie check per call: about a third of the time
    // of writing one amount.
    [InlineArray(4)]
    private struct DecimalBits
    {
        private int _element;
    }

    // A sign, the 20 digits of a 64-bit mantissa and a decimal point.
    [InlineArray(22)]
    private struct MoneyText
    {
        private byte _element;
    }

    // "yyyy-MM-dd" in quotes.
    [InlineArray(12)]
    private struct DateText
    {
        private byte _element;
    }

    /// <summary>Where the cached writer points between calls, so that it holds no caller's output.</summary>
    private sealed class NoOutput : IBufferWriter<byte>
    {
        public static readonly NoOutput Instance = new();

        public void Advance(int count) => throw new InvalidOperationException("The estimate writer is not writing.");

        public Memory<byte> GetMemory(int sizeHint = 0) => throw new InvalidOperationException("The estimate writer is not writing.");

        public Span<byte> GetSpan(int sizeHint = 0) => throw new InvalidOperationException("The estimate writer is not writing.");
    }
}
