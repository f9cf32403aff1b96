using System.Globalization;
using System.Text.Json;
using CoverageCheck.Clients.Remittances;
using CoverageCheck.Clients.Tests.Normalization;

namespace CoverageCheck.Clients.Tests.Remittances;

/// <summary>
/// Issue #19: every real 835 of ../shared/samples/remittances read with <see cref="X835Reader"/> and held to its
/// <c>expected.json</c> (a manual reading of each): transactions, payer and payee, payment, every claim with its
/// status, amounts, adjustments and patient share, every service line with its allowed amount, provider adjustments and
/// the balance. The files are read in place (licences); from a clone without them the test is ignored with the reason.
/// </summary>
public sealed class RemittanceCorpusTests
{
    private const string Missing = "(remittances not present)";

    private static string? Folder => EligibilityFiles.SharedFolderOf("remittances");

    private static IEnumerable<TestCaseData> Files()
    {
        if (Folder is not { } folder)
        {
            yield return new TestCaseData(Missing).SetArgDisplayNames(Missing);
            yield break;
        }

        foreach (var file in Directory.GetFiles(folder, "*.835").Order(StringComparer.Ordinal))
        {
            yield return new TestCaseData(Path.GetFileName(file)).SetArgDisplayNames(Path.GetFileName(file));
        }
    }

    [TestCaseSource(nameof(Files))]
    public void A_real_remittance_reads_as_its_manual_reading_says(string name)
    {
        if (Folder is not { } folder || name == Missing)
        {
            Assert.Ignore("The remittances (../shared/samples/remittances beside the repository root) are not present in this checkout.");
            return;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        Assert.That(document.RootElement.TryGetProperty(name, out var expected), Is.True, $"{name} has no entry in expected.json");
        var remittance = X835Reader.Read(File.ReadAllText(Path.Combine(folder, name)));
        var differences = new List<string>();
        void Same<T>(string what, T actual, T wanted)
        {
            if (!EqualityComparer<T>.Default.Equals(actual, wanted))
            {
                differences.Add($"{what}: read {actual?.ToString() ?? "null"}, expected {wanted?.ToString() ?? "null"}");
            }
        }

        Assert.That(remittance.IsReadable, Is.True, string.Join("; ", remittance.Issues));
        var transactions = expected.GetProperty("transactions").EnumerateArray().ToList();
        Same("transactions", remittance.Transactions.Count, transactions.Count);
        foreach (var (transaction, wanted, t) in remittance.Transactions.Zip(transactions).Select((pair, i) => (pair.First, pair.Second, i)))
        {
            var at = $"transaction {t + 1}";
            Same($"{at} ST02", transaction.ControlNumber, Text(wanted, "st02"));
            if (wanted.GetProperty("claims").ValueKind == JsonValueKind.Number)
            {
                // A masked file (every digit a 9): its manual reading gives the structure only, as counts.
                Same($"{at} claims", transaction.Claims.Count, wanted.GetProperty("claims").GetInt32());
                Same($"{at} service lines", transaction.Claims.Sum(claim => claim.Lines.Count), wanted.GetProperty("serviceLines").GetInt32());
                Same($"{at} BPR04", transaction.Payment.Method, Text(wanted, "bprMethod"));
                foreach (var status in wanted.GetProperty("claimStatusCounts").EnumerateObject())
                {
                    Same($"{at} claims with status {status.Name}", transaction.Claims.Count(claim => claim.Status == status.Name), status.Value.GetInt32());
                }

                continue;
            }

            Same($"{at} payer", transaction.Payer.Name, Text(wanted.GetProperty("payer"), "name")?.Trim());
            Same($"{at} payee", transaction.Payee.Name, Text(wanted.GetProperty("payee"), "name")?.Trim());
            Same($"{at} payee id", transaction.Payee.Id, Text(wanted.GetProperty("payee"), "id"));
            var bpr = wanted.GetProperty("bpr");
            Same($"{at} BPR02", transaction.Payment.Amount, Money(bpr, "amount"));
            Same($"{at} BPR04", transaction.Payment.Method, Text(bpr, "method"));
            Same($"{at} TRN02", transaction.TraceNumber, Text(wanted, "trn02"));
            var balance = wanted.GetProperty("balance");
            Same($"{at} sum CLP04", transaction.SumPaid, Money(balance, "sumCLP04"));
            Same($"{at} sum PLB", transaction.SumProviderAdjustments, Money(balance, "sumPLB"));
            Same($"{at} balances", transaction.Balances, balance.GetProperty("balances").GetBoolean());
            var plb = wanted.GetProperty("plb").EnumerateArray().ToList();
            Same($"{at} PLB count", transaction.ProviderAdjustments.Count, plb.Count);
            foreach (var (adjustment, w) in transaction.ProviderAdjustments.Zip(plb))
            {
                Same($"{at} PLB reason", adjustment.Reason, Text(w, "reason"));
                Same($"{at} PLB amount", adjustment.Amount, Money(w, "amount"));
            }

            var claims = wanted.GetProperty("claims").EnumerateArray().ToList();
            Same($"{at} claims", transaction.Claims.Count, claims.Count);
            foreach (var (claim, w, c) in transaction.Claims.Zip(claims).Select((pair, i) => (pair.First, pair.Second, i)))
            {
                var where = $"{at} claim {c + 1} ({Text(w, "clp01")})";
                Same($"{where} CLP01", claim.PatientControlNumber, Text(w, "clp01"));
                Same($"{where} CLP02", claim.Status, Text(w, "status"));
                Same($"{where} CLP03", claim.Billed, Money(w, "billed"));
                Same($"{where} CLP04", claim.Paid, Money(w, "paid"));
                Same($"{where} CLP05", claim.PatientResponsibilityStated, Money(w, "patientResponsibilityCLP05"));
                Same($"{where} CLP07", claim.PayerClaimNumber, Text(w, "payerClaimControlNumber"));
                Same($"{where} claim CAS", Adjustments(claim.Adjustments), Adjustments(w.GetProperty("claimAdjustments")));
                Share($"{where} patient share", claim.PatientShare, w.GetProperty("patientResponsibility"), Same);
                Same($"{where} balances", claim.Balances, w.GetProperty("claimBalances").GetBoolean());
                var services = w.GetProperty("services").EnumerateArray().ToList();
                Same($"{where} lines", claim.Lines.Count, services.Count);
                foreach (var (line, s, l) in claim.Lines.Zip(services).Select((pair, i) => (pair.First, pair.Second, i)))
                {
                    var there = $"{where} line {l + 1}";
                    var procedure = s.GetProperty("procedure");
                    Same($"{there} code", line.Code, Text(procedure, "code"));
                    Same($"{there} revenue code", line.RevenueCode, Text(s, "revenueCode"));
                    Same($"{there} SVC02", line.Billed, Money(s, "billed"));
                    Same($"{there} SVC03", line.Paid, Money(s, "paid"));
                    Same($"{there} SVC05", line.UnitsPaid, Text(s, "unitsPaid"));
                    Same($"{there} CAS", Adjustments(line.Adjustments), Adjustments(s.GetProperty("adjustments")));
                    var allowed = s.GetProperty("allowed");
                    Same($"{there} allowed", line.Allowed, Money(allowed, "amount"));
                    Same($"{there} allowed source", line.AllowedSource, Text(allowed, "source"));
                    Share($"{there} patient share", line.PatientShare, s.GetProperty("patientResponsibility"), Same);
                    Same($"{there} balances", line.Balances, s.GetProperty("lineBalances").GetBoolean());
                    if (s.TryGetProperty("serviceDate", out var date) && date.ValueKind == JsonValueKind.Object)
                    {
                        Same($"{there} from", line.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Text(date, "from"));
                    }
                }
            }
        }

        Assert.That(differences, Is.Empty, $"{name} does not read as expected.json says:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", differences));
    }

    private static void Share(string what, PatientShare share, JsonElement wanted, Action<string, decimal?, decimal?> same)
    {
        same(what + " deductible", share.Deductible, Money(wanted, "deductible"));
        same(what + " coinsurance", share.Coinsurance, Money(wanted, "coinsurance"));
        same(what + " copay", share.Copay, Money(wanted, "copay"));
        same(what + " total", share.Total, Money(wanted, "totalPR"));
    }

    private static string Adjustments(IEnumerable<RemittanceAdjustment> adjustments) =>
        string.Join(", ", adjustments.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Group}-{a.Reason} {a.Amount:0.00}")));

    private static string Adjustments(JsonElement adjustments) =>
        string.Join(", ", adjustments.EnumerateArray().Select(a => string.Create(CultureInfo.InvariantCulture,
            $"{a.GetProperty("group").GetString()}-{a.GetProperty("reason").GetString()} {a.GetProperty("amount").GetDecimal():0.00}")));

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static decimal? Money(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDecimal() : null;
}
