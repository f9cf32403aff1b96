using CoverageCheck.Service.Features.Batches;
using CoverageCheck.Service.Features.Verifications;

namespace CoverageCheck.Service.Tests.Contracts;

/// <summary>Issue #17: a batch row reports the contract its estimate used, in the report's <c>contract</c> column.</summary>
internal sealed class ContractBatchRowTests
{
    private static BatchReportRow Row(string contract) => BatchReportRows.From(
        new BatchRowRecord { Line = 2, PatientRef = "S-1", VerificationId = Guid.NewGuid(), VerificationStatus = "completed", PayerId = "60054" },
        payload: null,
        VerificationJson.ReadResult($$"""{"checkedAt":"2026-11-30T15:00:00+00:00","payer":{"id":"60054","name":"AETNA"},"coverage":{"active":true},"errors":[],"contract":{{contract}}}"""),
        "AETNA");

    [Test]
    public void The_contract_column_names_the_contract_and_what_it_matched_on()
    {
        var column = BatchReportColumns.All.Single(c => c.Name == "contract");

        Assert.That(column.Value(Row("""{"id":"aet100-employer","matchedOn":"groupNumber"}""")), Is.EqualTo("aet100-employer (groupNumber)"));
        Assert.That(column.Value(Row("null")), Is.Null, "no contract matched: empty");
    }
}
