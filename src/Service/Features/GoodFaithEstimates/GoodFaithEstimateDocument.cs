using System.Globalization;
using CoverageCheck.Clients.Clearinghouse;
using CoverageCheck.Estimator;
using CoverageCheck.Service.Features.Estimates;
using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Pages.Staff;
using Microsoft.Extensions.Options;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace CoverageCheck.Service.Features.GoodFaithEstimates;

/// <summary>The fonts a PDF can be written with are missing on this machine.</summary>
internal sealed class PdfFontsMissingException(string message) : Exception(message);

/// <summary>The provider's NPI or TIN is still the sandbox's in Production: an estimate would name a provider that does not exist.</summary>
internal sealed class ProviderNotConfiguredException(string message) : Exception(message);

/// <summary>
/// The Good Faith Estimate for an uninsured or self-pay patient (No Surprises Act, 45 CFR 149.610) as a PDF: patient
/// name and date of birth, the service and its expected dates, itemised expected charges with service code H0015 and
/// revenue code 0906, the provider's name, NPI, TIN and location, items scheduled separately, the required
/// disclaimers (including the right to dispute a bill $400 or more above the estimate) and the date issued.
/// </summary>
internal sealed class GoodFaithEstimateDocument(
    EstimatePricer pricer,
    IOptionsMonitor<ProviderOptions> provider,
    IOptionsMonitor<ClearinghouseOptions> clearinghouse,
    IHostEnvironment environment,
    TimeProvider timeProvider)
{
    public const string ServiceCode = "H0015";
    public const string RevenueCode = "0906";
    public const decimal DisputeThreshold = 400m;
    private const string Font = DejaVuFontResolver.FamilyName;

    /// <summary>The self-pay estimate for the planned program, with the 8–12 week × 3–5 day range.</summary>
    public EstimateResponse SelfPayEstimate(VerificationPayload payload)
    {
        var program = payload.Program ?? new ProgramInfo(payload.DateOfService, 8, 5);
        var outcome = pricer.Estimate(
            new EstimateInput(
                new ProgramSchedule { StartDate = program.StartDate, Weeks = program.Weeks, DaysPerWeek = program.DaysPerWeek },
                payload.Pricing is { } p ? new PricingInput(p.ChargePerDay, p.AllowedPerDay, p.SelfPayPerDay, p.SelfPayPackagePrice) : null,
                Coverage: null,
                new ProgramRange(new IntRange(8, 12), new IntRange(3, 5))),
            includeSessions: false);
        return outcome.Response ?? throw new InvalidOperationException(
            "The self-pay estimate could not be made: " + string.Join(" ", outcome.Errors.SelectMany(e => e.Value)));
    }

    /// <summary>
    /// Why no estimate may be issued here, in one sentence, or null: in Production, the sandbox's NPI or TIN (from
    /// appsettings.json) would put a provider that does not exist on a document the patient relies on.
    /// </summary>
    public string? ProviderProblem()
    {
        if (!environment.IsProductionLike())
        {
            return null;
        }

        var problems = new List<string>();
        if (string.Equals(clearinghouse.CurrentValue.Provider.Npi, ProviderOptions.SandboxNpi, StringComparison.Ordinal))
        {
            problems.Add("Clearinghouse:Provider:Npi");
        }

        if (string.Equals(provider.CurrentValue.TaxId, ProviderOptions.SandboxTaxId, StringComparison.Ordinal))
        {
            problems.Add("Provider:TaxId");
        }

        return problems.Count == 0
            ? null
            : $"A Good Faith Estimate cannot be issued: {string.Join(" and ", problems)} still hold the sandbox's value; set the program's real NPI and Employer Identification Number.";
    }

    /// <summary>Issues a new estimate for a verification: its id and number, and the PDF to hand over and keep.</summary>
    /// <exception cref="PdfFontsMissingException">No usable fonts on this machine.</exception>
    /// <exception cref="ProviderNotConfiguredException">Production with the sandbox's NPI or TIN (<see cref="ProviderProblem"/>).</exception>
    public (IssuedGoodFaithEstimate Estimate, byte[] Pdf) Issue(Guid verificationId, VerificationPayload payload, string issuedBy)
    {
        if (ProviderProblem() is { } problem)
        {
            throw new ProviderNotConfiguredException(problem);
        }

        var now = timeProvider.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(provider.CurrentValue.TimeZone);
        var issued = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var estimate = new IssuedGoodFaithEstimate
        {
            Id = id,
            VerificationId = verificationId,
            // The date and the random part of a version 7 GUID: unique, and short enough to read out on the phone.
            EstimateNumber = string.Create(CultureInfo.InvariantCulture, $"GFE-{issued:yyyyMMdd}-{id.ToString("N")[^8..].ToUpperInvariant()}"),
            IssuedAt = now,
            IssuedBy = issuedBy,
        };
        return (estimate, Write(payload, estimate.EstimateNumber, issued));
    }

    /// <summary>Writes the PDF.</summary>
    /// <exception cref="PdfFontsMissingException">No usable fonts on this machine.</exception>
    internal byte[] Write(VerificationPayload payload, string estimateNumber, DateOnly issued)
    {
        DejaVuFontResolver.EnsureInstalled();
        var estimate = SelfPayEstimate(payload);
        var program = payload.Program ?? new ProgramInfo(payload.DateOfService, 8, 5);
        var options = provider.CurrentValue;
        var selfPayPerDay = estimate.Pricing?.SelfPayPerDay ?? 0m;

        using var document = new PdfDocument();
        document.Info.Title = "Good Faith Estimate";
        document.Info.Author = options.Name;
        document.Info.Subject = "Good Faith Estimate for an uninsured or self-pay patient (45 CFR 149.610)";
        var writer = new PageWriter(document);

        writer.Heading("Good Faith Estimate for Health Care Items and Services", 16);
        writer.Line($"Date issued: {Wording.Date(issued)}    Estimate ID: {estimateNumber}", 9);
        writer.Space(6);
        writer.Line("You have the right to receive a Good Faith Estimate explaining how much your health care will cost.", 9);
        writer.Space(6);

        writer.Heading("Patient", 12);
        writer.Line($"Name: {payload.Patient.FirstName} {payload.Patient.LastName}");
        writer.Line($"Date of birth: {Wording.Date(payload.Patient.DateOfBirth)}");
        writer.Space(6);

        writer.Heading("Provider and facility", 12);
        writer.Line(options.Name);
        writer.Line($"NPI: {clearinghouse.CurrentValue.Provider.Npi}    TIN: {options.TaxId}");
        writer.Line($"Location: {options.Location}");
        writer.Line($"Phone: {options.Phone}{(string.IsNullOrWhiteSpace(options.BillingEmail) ? "" : "    Email: " + options.BillingEmail)}");
        writer.Space(6);

        writer.Heading("Primary service", 12);
        writer.Wrapped($"Substance use disorder intensive outpatient program (IOP): {program.DaysPerWeek} session days a week for {program.Weeks} weeks, " +
            $"{estimate.Sessions} session days in all, expected from {Wording.Date(estimate.FirstSession)} to {Wording.Date(estimate.LastSession)} " +
            $"(scheduled start {Wording.Date(program.StartDate)}).");
        writer.Line("Diagnosis codes: to be set at the clinical intake assessment; none is known when this estimate is issued.", 9);
        writer.Space(6);

        writer.Heading("Itemised expected charges", 12);
        writer.Table(
            ["Item or service", "Service code", "Revenue code", "Quantity", "Price each", "Expected charge"],
            [
                [
                    "IOP session day (alcohol and/or drug services)", ServiceCode, RevenueCode,
                    estimate.Sessions.ToString(CultureInfo.InvariantCulture) + " days", Wording.Money(selfPayPerDay), Wording.Money(estimate.Breakdown.SelfPay),
                ],
            ],
            [190, 62, 62, 54, 62, 74]);
        writer.Line($"Total expected charges: {Wording.Money(estimate.Totals.Patient)}", 11, bold: true);
        if (estimate.Pricing?.SelfPayPackagePrice is { } package)
        {
            writer.Line($"The self-pay package price of {Wording.Money(package)} caps the total for the whole program.", 9);
        }

        if (estimate.Range is { } range)
        {
            writer.Wrapped($"If the clinical team sets a different schedule: the shortest program (8 weeks, 3 days a week, {range.Low.Sessions} days) would be " +
                $"about {Wording.Money(range.Low.Totals.Patient)}; the longest (12 weeks, 5 days a week, {range.High.Sessions} days) about " +
                $"{Wording.Money(range.High.Totals.Patient)}. A changed schedule gets a new Good Faith Estimate.", 9);
        }

        writer.Space(6);
        writer.Heading("Items and services scheduled separately (not included above)", 12);
        writer.Wrapped("Physician or psychiatric evaluations and medication management billed by other practitioners, laboratory tests, prescription " +
            "medications, and any other care you schedule separately. Those providers must give you their own Good Faith Estimates.", 9);
        writer.Space(6);

        writer.Heading("Disclaimer", 12);
        foreach (var paragraph in Disclaimers(options))
        {
            writer.Wrapped(paragraph, 9);
            writer.Space(3);
        }

        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    internal static IEnumerable<string> Disclaimers(ProviderOptions options) =>
    [
        "This Good Faith Estimate shows the costs of items and services that are reasonably expected for your health care needs. " +
        "The estimate is based on information known at the time the estimate was created.",
        "The Good Faith Estimate does not include any unknown or unexpected costs that may arise during treatment. You could be charged " +
        "more if complications or special circumstances occur. If this happens, federal law allows you to dispute (appeal) the bill.",
        $"If you are billed for more than this Good Faith Estimate, you have the right to dispute the bill. If the bill is ${DisputeThreshold:0} or more " +
        $"above this estimate for any one provider or facility, you may start a dispute within 120 calendar days of the date on the original bill. " +
        $"You may contact {options.Name} at {options.Phone} to let us know the billed charges are higher than the Good Faith Estimate, ask us to " +
        "update the bill to match it, ask to negotiate the bill, or ask if financial assistance is available.",
        "There may be a $25 fee to use the dispute process. If the agency reviewing your dispute agrees with you, you will have to pay the price " +
        "on this Good Faith Estimate. If the agency disagrees with you and agrees with the provider or facility, you will have to pay the higher amount.",
        "To learn more and get a form to start the process, go to www.cms.gov/nosurprises or call 1-800-985-3059.",
        "Starting a dispute will not affect the quality of the care you receive.",
        "This Good Faith Estimate is not a contract and does not require you to obtain the items or services from any of the providers or facilities identified.",
        "Keep a copy of this Good Faith Estimate in a safe place or take pictures of it. You may need it if you are billed a higher amount.",
    ];

    /// <summary>Lays text out top to bottom on Letter pages, starting a new page when one is full.</summary>
    private sealed class PageWriter
    {
        private const double Margin = 48;
        private readonly PdfDocument _document;
        private XGraphics _graphics = null!;
        private PdfPage _page = null!;
        private double _y;

        public PageWriter(PdfDocument document)
        {
            _document = document;
            NewPage();
        }

        private double Width => _page.Width.Point - 2 * Margin;

        public void Heading(string text, double size) => Line(text, size, bold: true);

        public void Line(string text, double size = 10, bool bold = false)
        {
            var font = new XFont(Font, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            var height = font.GetHeight() * 1.15;
            Ensure(height);
            _graphics.DrawString(text, font, XBrushes.Black, new XRect(Margin, _y, Width, height), XStringFormats.TopLeft);
            _y += height;
        }

        public void Wrapped(string text, double size = 10)
        {
            var font = new XFont(Font, size, XFontStyleEx.Regular);
            var line = "";
            foreach (var word in text.Split(' '))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (_graphics.MeasureString(candidate, font).Width > Width && line.Length > 0)
                {
                    Line(line, size);
                    line = word;
                }
                else
                {
                    line = candidate;
                }
            }

            if (line.Length > 0)
            {
                Line(line, size);
            }
        }

        public void Table(string[] header, string[][] rows, double[] widths)
        {
            var headerFont = new XFont(Font, 8, XFontStyleEx.Bold);
            var cellFont = new XFont(Font, 8, XFontStyleEx.Regular);
            Row(header, widths, headerFont, XBrushes.LightGray);
            foreach (var row in rows)
            {
                Row(row, widths, cellFont, null);
            }

            _y += 4;
        }

        public void Space(double points) => _y += points;

        private void Row(string[] cells, double[] widths, XFont font, XBrush? fill)
        {
            // Cells wrap within their column; the row is as tall as its tallest cell.
            var lines = cells.Select((cell, i) => WrapCell(cell, font, widths[i] - 6)).ToArray();
            var lineHeight = font.GetHeight() * 1.2;
            var height = lines.Max(l => l.Count) * lineHeight + 6;
            Ensure(height);
            var x = Margin;
            for (var i = 0; i < cells.Length; i++)
            {
                var box = new XRect(x, _y, widths[i], height);
                if (fill is not null)
                {
                    _graphics.DrawRectangle(fill, box);
                }

                _graphics.DrawRectangle(XPens.Gray, box);
                for (var l = 0; l < lines[i].Count; l++)
                {
                    _graphics.DrawString(lines[i][l], font, XBrushes.Black, new XRect(x + 3, _y + 3 + l * lineHeight, widths[i] - 6, lineHeight), XStringFormats.TopLeft);
                }

                x += widths[i];
            }

            _y += height;
        }

        private List<string> WrapCell(string text, XFont font, double width)
        {
            var result = new List<string>();
            var line = "";
            foreach (var word in text.Split(' '))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (_graphics.MeasureString(candidate, font).Width > width && line.Length > 0)
                {
                    result.Add(line);
                    line = word;
                }
                else
                {
                    line = candidate;
                }
            }

            result.Add(line);
            return result;
        }

        private void Ensure(double height)
        {
            if (_y + height > _page.Height.Point - Margin)
            {
                NewPage();
            }
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            _page = _document.AddPage();
            _page.Size = PdfSharp.PageSize.Letter;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }
    }
}

/// <summary>
/// PDFsharp on Linux has no system font access: it is given DejaVu Sans (Debian's fonts-dejavu-core, also in most
/// other distributions). When the files are missing the PDF cannot be written, and the page says so in one sentence.
/// </summary>
internal sealed class DejaVuFontResolver : IFontResolver
{
    public const string FamilyName = "DejaVu Sans";
    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";

    private static readonly string[] s_folders =
    [
        "/usr/share/fonts/truetype/dejavu",
        "/usr/share/fonts/dejavu",
        "/usr/share/fonts/TTF",
        "/usr/local/share/fonts",
        Path.Combine(AppContext.BaseDirectory, "fonts"),
    ];

    private static readonly Lock s_gate = new();
    private static bool s_installed;
    private readonly Dictionary<string, string> _files;

    private DejaVuFontResolver(Dictionary<string, string> files) => _files = files;

    /// <summary>Installs the resolver once per process.</summary>
    /// <exception cref="PdfFontsMissingException">DejaVu Sans is not installed.</exception>
    public static void EnsureInstalled()
    {
        lock (s_gate)
        {
            if (s_installed)
            {
                return;
            }

            var files = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var face in new[] { Regular, Bold })
            {
                var path = s_folders.Select(folder => Path.Combine(folder, face + ".ttf")).FirstOrDefault(File.Exists)
                    ?? throw new PdfFontsMissingException(
                        $"The PDF cannot be written because the font {face}.ttf is not installed (on Debian: apt-get install fonts-dejavu-core).");
                files[face] = path;
            }

            GlobalFontSettings.FontResolver = new DejaVuFontResolver(files);
            s_installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, mustSimulateBold: false, mustSimulateItalic: italic);

    public byte[]? GetFont(string faceName) =>
        _files.TryGetValue(faceName, out var path) ? File.ReadAllBytes(path) : null;
}
