using System.Globalization;
using System.Text;

namespace CoverageCheck.Sandbox;

/// <summary>Writing the 835: envelope, one transaction per payer, claims with their service lines.</summary>
public static partial class SandboxRemittances
{
    private const string Sender = "SANDBOXCH";
    private const string Receiver = "COVERAGECHECK";
    private const string Guide = "005010X221A1";

    private static string Write(IReadOnlyList<(string PayerId, List<AdjudicatedClaim> Claims)> byPayer, SandboxRemittanceSettings settings)
    {
        var date = settings.PaymentDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var control = settings.InterchangeControlNumber.ToString("000000000", CultureInfo.InvariantCulture);
        var group = settings.InterchangeControlNumber.ToString(CultureInfo.InvariantCulture);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"ISA*00*{"",-10}*00*{"",-10}*ZZ*{Sender,-15}*ZZ*{Receiver,-15}*{settings.PaymentDate.ToString("yyMMdd", CultureInfo.InvariantCulture)}*1200*^*00501*{control}*0*T*:~");
        text.Append(CultureInfo.InvariantCulture, $"GS*HP*{Sender}*{Receiver}*{date}*1200*{group}*X*{Guide}~");

        var claimNumber = 0;
        for (var t = 0; t < byPayer.Count; t++)
        {
            var (payerId, claims) = byPayer[t];
            var segments = new List<string>();
            void Add(params string[] elements)
            {
                var last = elements.Length - 1;
                while (last > 0 && elements[last].Length == 0)
                {
                    last--;
                }

                segments.Add(string.Join('*', elements.Take(last + 1)));
            }

            var stControl = (t + 1).ToString("0000", CultureInfo.InvariantCulture);
            var total = claims.Sum(c => c.Paid);
            // TRN03 and BPR10: the payer's originating company ID, "1" and nine characters (synthetic).
            var originator = "1" + payerId.PadLeft(9, '0');
            Add("ST", "835", stControl, Guide);
            if (total > 0m)
            {
                Add("BPR", "I", Money(total), "C", "ACH", "CCP", "01", "999999992", "DA", "100200300", originator, "",
                    "01", "999999989", "DA", "400500600", date);
            }
            else
            {
                // Nothing to pay (every claim denied or all patient share): a remittance advice without money.
                Add("BPR", "H", Money(total), "C", "NON", "", "", "", "", "", "", "", "", "", "", "", date);
            }

            Add("TRN", "1", $"{settings.TraceNumber}-{payerId}", originator);
            Add("REF", "EV", Receiver);
            Add("DTM", "405", date);
            Add("N1", "PR", SandboxCatalogue.PayerNames[payerId]);
            Add("N3", "SANDBOX CLAIMS OFFICE");
            Add("N4", "SPRINGFIELD", "IL", "62701");
            Add("REF", "2U", payerId);
            Add("PER", "BL", "SANDBOX EDI SUPPORT", "TE", "8005550199");
            Add("N1", "PE", settings.PayeeName, "XX", settings.PayeeNpi);
            Add("REF", "TJ", settings.PayeeTaxId);
            Add("LX", "1");
            foreach (var claim in claims)
            {
                claimNumber++;
                var request = claim.Request;
                Add("CLP", request.PatientControlNumber, claim.Status, Money(claim.Charge), Money(claim.Paid), Money(claim.PatientResponsibility),
                    FilingIndicator(claim.Member.Coverage.InsuranceTypeCode),
                    $"{settings.TraceNumber}{claimNumber.ToString("00000", CultureInfo.InvariantCulture)}", "13", "1");
                Add("NM1", "QC", "1", request.LastName.ToUpperInvariant(), request.FirstName.ToUpperInvariant(), "", "", "", "MI", request.MemberId);
                Add("DTM", "232", D8(claim.Lines[0].Date));
                Add("DTM", "233", D8(claim.Lines[^1].Date));
                foreach (var line in claim.Lines)
                {
                    if (line.IsDenied)
                    {
                        Add("SVC", "HC:H0015", Money(line.Charge), Money(line.Paid), "0906", "0", "", "1");
                    }
                    else
                    {
                        Add("SVC", "HC:H0015", Money(line.Charge), Money(line.Paid), "0906", "1");
                    }

                    Add("DTM", "472", D8(line.Date));
                    foreach (var byGroup in line.Adjustments.GroupBy(a => a.Group))
                    {
                        // Up to six reason/amount/quantity triplets a CAS; a line here has at most four.
                        Add(["CAS", byGroup.Key, .. byGroup.SelectMany(a => new[] { a.Reason, Money(a.Amount), "" })]);
                    }

                    if (line.Allowed is { } allowed)
                    {
                        Add("AMT", "B6", Money(allowed));
                    }
                }
            }

            Add("SE", (segments.Count + 1).ToString(CultureInfo.InvariantCulture), stControl);
            foreach (var segment in segments)
            {
                text.Append(segment).Append('~');
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"GE*{byPayer.Count}*{group}~IEA*1*{control}~");
        return text.ToString();
    }

    /// <summary>CLP06 from the plan's insurance type: 12 PPO, HM HMO, 13 POS, MB Medicare Part B, MC Medicaid, else CI commercial.</summary>
    private static string FilingIndicator(string insuranceTypeCode) => insuranceTypeCode switch
    {
        "PR" => "12",
        "HM" => "HM",
        "PS" => "13",
        "MB" => "MB",
        "MC" => "MC",
        _ => "CI",
    };

    private static string Money(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string D8(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
