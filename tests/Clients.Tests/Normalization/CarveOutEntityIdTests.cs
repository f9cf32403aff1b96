using CoverageCheck.Clients.Eligibility;

namespace CoverageCheck.Clients.Tests.Normalization;

/// <summary>
/// Issue #16: the member's ID at a carve-out administrator is the 2120C entity's ID (JSON
/// <c>entityIdentificationValue</c>) when it is said to be a member ID or not said; a payer ID or an NPI there is not.
/// </summary>
internal sealed class CarveOutEntityIdTests
{
    private static string Answer(string? qualifier) => $$"""
        {
          "controlNumber": "000000001",
          "payer": { "name": "UNITEDHEALTHCARE", "payorIdentification": "87726" },
          "subscriber": { "memberId": "U300000077", "firstName": "REED", "lastName": "CARVEDOUT", "dateOfBirth": "19880614" },
          "planStatus": [ { "statusCode": "1", "status": "Active Coverage", "serviceTypeCodes": ["30"] } ],
          "benefitsInformation": [
            { "code": "1", "serviceTypeCodes": ["30"], "planCoverage": "Choice Plus" },
            { "code": "U", "serviceTypeCodes": ["AI", "MH"],
              "benefitsRelatedEntity": { "entityIdentifier": "Vendor", "entityType": "Non-Person Entity", "entityName": "ACME BEHAVIORAL HEALTH",
                {{(qualifier is null ? "" : $"\"entityIdentification\": \"{qualifier}\",")}}
                "entityIdentificationValue": "C400000002" } }
          ]
        }
        """;

    [TestCase(null, "C400000002")]
    [TestCase("Member Identification Number", "C400000002")]
    [TestCase("MI", "C400000002")]
    [TestCase("Payor Identification", null)]
    [TestCase("Centers for Medicare and Medicaid Services National Provider Identifier", null)]
    public void The_entity_ID_is_the_members_ID_at_the_administrator_only_when_it_is_one(string? qualifier, string? expected)
    {
        var carveOut = CoverageNormalizer.FromClearinghouseJson(Answer(qualifier)).Coverage?.CarveOut;

        Assert.That(carveOut?.Name, Is.EqualTo("ACME BEHAVIORAL HEALTH"));
        Assert.That(carveOut!.EntityId, Is.EqualTo(expected));
    }
}
