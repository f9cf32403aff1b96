using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace CoverageCheck.Sandbox;

/// <summary>Where an AAA rejection sits: the payer (2100A), the provider (2100B) or the subscriber (2100C).</summary>
internal enum AaaLoop
{
    Payer,
    Provider,
    Subscriber,
}

/// <summary>An AAA rejection: code, follow-up action and the loop it belongs to.</summary>
internal sealed record AaaError(string Code, string FollowUpCode, AaaLoop Loop, string? PossibleResolutions = null)
{
    public bool ValidRequest => Code == "42";

    public string Location => Loop switch
    {
        AaaLoop.Payer => "Loop 2100A",
        AaaLoop.Provider => "Loop 2100B",
        _ => "Loop 2100C",
    };
}

/// <summary>
/// Everything one answer says, written as v3 JSON with its X12 271 twin in <c>x12</c>: both come from the same rows,
/// so a normaliser reading either lands on the same benefits.
/// </summary>
internal sealed record SandboxAnswer(
    string ControlNumber,
    string PayerId,
    string PayerName,
    string ProviderName,
    string ProviderNpi,
    string? MemberId,
    string FirstName,
    string LastName,
    string? DateOfBirth,
    string? GroupNumber,
    PlanDates? Dates,
    IReadOnlyList<BenefitRow> Rows,
    IReadOnlyList<AaaError> Errors)
{
    private const string D8 = "yyyyMMdd";

    /// <summary>The patient when asked about as a dependent: the answer names them in <c>dependents[]</c> / 2000D.</summary>
    public SandboxDependent? Dependent { get; init; }

    public string ToJson(DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("meta");
            json.WriteString("applicationMode", "sandbox");
            json.WriteString("senderId", "SANDBOXCH");
            json.WriteString("traceId", $"SBX{ControlNumber}{now.ToUnixTimeMilliseconds():x}");
            json.WriteEndObject();
            json.WriteString("controlNumber", ControlNumber);
            json.WriteString("reassociationKey", ControlNumber);
            json.WriteString("tradingPartnerServiceId", PayerId);

            json.WriteStartObject("provider");
            json.WriteString("providerName", ProviderName.ToUpperInvariant());
            json.WriteString("entityIdentifier", "Provider");
            json.WriteString("entityType", "Non-Person Entity");
            json.WriteString("npi", ProviderNpi);
            WriteAaa(json, AaaLoop.Provider);
            json.WriteEndObject();

            json.WriteStartObject("subscriber");
            if (MemberId is not null)
            {
                json.WriteString("memberId", MemberId);
            }

            json.WriteString("firstName", FirstName.ToUpperInvariant());
            json.WriteString("lastName", LastName.ToUpperInvariant());
            if (DateOfBirth is not null)
            {
                json.WriteString("dateOfBirth", DateOfBirth);
            }

            if (GroupNumber is not null && Dates is not null)
            {
                json.WriteString("groupNumber", GroupNumber);
            }

            json.WriteString("entityIdentifier", "Insured or Subscriber");
            json.WriteString("entityType", "Person");
            WriteAaa(json, AaaLoop.Subscriber);
            json.WriteEndObject();

            if (Dependent is { } dependent)
            {
                json.WriteStartArray("dependents");
                json.WriteStartObject();
                json.WriteString("firstName", dependent.FirstName);
                json.WriteString("lastName", dependent.LastName);
                json.WriteString("dateOfBirth", dependent.DateOfBirth.ToString(D8, CultureInfo.InvariantCulture));
                json.WriteString("relationToSubscriberCode", dependent.RelationshipCode);
                json.WriteString("entityIdentifier", "Dependent");
                json.WriteString("entityType", "Person");
                json.WriteEndObject();
                json.WriteEndArray();
            }

            json.WriteStartObject("payer");
            json.WriteString("name", PayerName);
            json.WriteString("payorIdentification", PayerId);
            json.WriteString("entityIdentifier", "Payer");
            json.WriteString("entityType", "Non-Person Entity");
            WriteAaa(json, AaaLoop.Payer);
            json.WriteEndObject();

            if (Dates is not null)
            {
                if (GroupNumber is not null)
                {
                    json.WriteStartObject("planInformation");
                    json.WriteString("groupNumber", GroupNumber);
                    json.WriteEndObject();
                }

                json.WriteStartObject("planDateInformation");
                if (Dates is { AsRange: true, PlanEnd: { } rangeEnd })
                {
                    json.WriteString("plan", Dates.PlanBegin.ToString(D8, CultureInfo.InvariantCulture) + "-" + rangeEnd.ToString(D8, CultureInfo.InvariantCulture));
                }
                else
                {
                    json.WriteString("planBegin", Dates.PlanBegin.ToString(D8, CultureInfo.InvariantCulture));
                    if (Dates.PlanEnd is { } planEnd)
                    {
                        json.WriteString("planEnd", planEnd.ToString(D8, CultureInfo.InvariantCulture));
                    }
                }

                json.WriteString("eligibilityBegin", Dates.EligibilityBegin.ToString(D8, CultureInfo.InvariantCulture));
                if (Dates.EligibilityEnd is { } eligibilityEnd)
                {
                    json.WriteString("eligibilityEnd", eligibilityEnd.ToString(D8, CultureInfo.InvariantCulture));
                }

                json.WriteEndObject();

                json.WriteStartArray("planStatus");
                foreach (var row in Rows.Where(r => r.Code is "1" or "6"))
                {
                    json.WriteStartObject();
                    json.WriteString("statusCode", row.Code);
                    json.WriteString("status", X12Names.Eligibility(row.Code));
                    if (row.PlanCoverage is not null)
                    {
                        json.WriteString("planDetails", row.PlanCoverage);
                    }

                    WriteStrings(json, "serviceTypeCodes", row.ServiceTypeCodes);
                    json.WriteEndObject();
                }

                json.WriteEndArray();

                json.WriteStartArray("benefitsInformation");
                foreach (var row in Rows)
                {
                    WriteRow(json, row);
                }

                json.WriteEndArray();
            }

            json.WriteStartArray("errors");
            foreach (var error in Errors)
            {
                WriteError(json, error);
            }

            json.WriteEndArray();
            json.WriteString("x12", ToX12(now));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private void WriteAaa(Utf8JsonWriter json, AaaLoop loop)
    {
        var errors = Errors.Where(e => e.Loop == loop).ToList();
        if (errors.Count == 0)
        {
            return;
        }

        json.WriteStartArray("aaaErrors");
        foreach (var error in errors)
        {
            WriteError(json, error);
        }

        json.WriteEndArray();
    }

    private static void WriteError(Utf8JsonWriter json, AaaError error)
    {
        json.WriteStartObject();
        json.WriteString("field", "AAA");
        json.WriteString("code", error.Code);
        json.WriteString("description", X12Names.Reject(error.Code));
        json.WriteString("followupAction", X12Names.FollowUp(error.FollowUpCode));
        json.WriteString("location", error.Location);
        if (error.PossibleResolutions is not null)
        {
            json.WriteString("possibleResolutions", error.PossibleResolutions);
        }

        json.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter json, BenefitRow row)
    {
        json.WriteStartObject();
        if (row.Messages is { Count: > 0 } messages)
        {
            json.WriteStartArray("additionalInformation");
            foreach (var message in messages)
            {
                json.WriteStartObject();
                json.WriteString("description", message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (row.AuthOrCert is not null)
        {
            json.WriteString("authOrCertIndicator", row.AuthOrCert);
        }

        if (row.Amount is { } amount)
        {
            json.WriteString("benefitAmount", X12Number(amount));
        }

        if (row.Percent is { } percent)
        {
            json.WriteString("benefitPercent", X12Number(percent));
        }

        if (row.Quantity is { } quantity)
        {
            json.WriteString("benefitQuantity", X12Number(quantity));
        }

        if (row.Entity is { } entity)
        {
            json.WriteStartArray("benefitsRelatedEntities");
            json.WriteStartObject();
            json.WriteString("entityIdentifier", "Vendor");
            json.WriteString("entityType", "Non-Person Entity");
            json.WriteString("entityName", entity.Name);
            if (entity.MemberId is { } entityMemberId)
            {
                json.WriteString("entityIdentification", "Member Identification Number");
                json.WriteString("entityIdentificationValue", entityMemberId);
            }

            json.WriteStartObject("contactInformation");
            json.WriteStartArray("contacts");
            json.WriteStartObject();
            json.WriteString("communicationMode", "Telephone");
            json.WriteString("communicationNumber", entity.Phone);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteString("code", row.Code);
        if (row.CoverageLevelCode is not null)
        {
            json.WriteString("coverageLevel", X12Names.CoverageLevel(row.CoverageLevelCode));
            json.WriteString("coverageLevelCode", row.CoverageLevelCode);
        }

        if (row.Network is not null)
        {
            json.WriteString("inPlanNetworkIndicator", X12Names.Network(row.Network));
            json.WriteString("inPlanNetworkIndicatorCode", row.Network);
        }

        if (row.InsuranceTypeCode is not null)
        {
            json.WriteString("insuranceType", X12Names.InsuranceType(row.InsuranceTypeCode));
            json.WriteString("insuranceTypeCode", row.InsuranceTypeCode);
        }

        json.WriteString("name", X12Names.Eligibility(row.Code));
        if (row.PlanCoverage is not null)
        {
            json.WriteString("planCoverage", row.PlanCoverage);
        }

        if (row.QuantityQualifierCode is not null)
        {
            json.WriteString("quantityQualifier", X12Names.Quantity(row.QuantityQualifierCode));
            json.WriteString("quantityQualifierCode", row.QuantityQualifierCode);
        }

        WriteStrings(json, "serviceTypeCodes", row.ServiceTypeCodes);
        WriteStrings(json, "serviceTypes", row.ServiceTypeCodes.Select(X12Names.ServiceType));
        if (row.TimeQualifierCode is not null)
        {
            json.WriteString("timeQualifier", X12Names.TimeQualifier(row.TimeQualifierCode));
            json.WriteString("timeQualifierCode", row.TimeQualifierCode);
        }

        json.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    /// <summary>X12 decimal (R) as payers send it: no trailing zeros, no leading zero before the point (".2").</summary>
    internal static string X12Number(decimal value)
    {
        var text = (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
        if (text.StartsWith("0.", StringComparison.Ordinal))
        {
            return text[1..];
        }

        return text;
    }

    /// <summary>The same answer as an X12 005010X279A1 271 interchange.</summary>
    public string ToX12(DateTimeOffset now)
    {
        var segments = new List<string>();
        void Add(params string?[] elements)
        {
            var last = elements.Length - 1;
            while (last > 0 && string.IsNullOrEmpty(elements[last]))
            {
                last--;
            }

            // EB03 keeps its repetition separator; every other value is cleaned of delimiters.
            segments.Add(string.Join('*', elements.Take(last + 1).Select((e, i) => elements[0] == "EB" && i == 3 ? e ?? "" : Clean(e ?? ""))));
        }

        var date = now.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var time = now.ToString("HHmm", CultureInfo.InvariantCulture);

        Add("ST", "271", "0001", "005010X279A1");
        Add("BHT", "0022", "11", ControlNumber, date, time);
        Add("HL", "1", "", "20", "1");
        Add("NM1", "PR", "2", PayerName, "", "", "", "", "PI", PayerId);
        AddAaa(Add, AaaLoop.Payer);
        Add("HL", "2", "1", "21", "1");
        Add("NM1", "1P", "2", ProviderName.ToUpperInvariant(), "", "", "", "", "XX", ProviderNpi);
        AddAaa(Add, AaaLoop.Provider);
        Add("HL", "3", "2", "22", Dependent is null ? "0" : "1");
        Add("NM1", "IL", "1", LastName.ToUpperInvariant(), FirstName.ToUpperInvariant(), "", "", "", MemberId is null ? "" : "MI", MemberId);
        if (GroupNumber is not null && Dates is not null)
        {
            Add("REF", "6P", GroupNumber);
        }

        AddAaa(Add, AaaLoop.Subscriber);
        if (DateOfBirth is not null)
        {
            Add("DMG", "D8", DateOfBirth);
        }

        if (Dependent is { } dependent)
        {
            Add("HL", "4", "3", "23", "0");
            Add("NM1", "03", "1", dependent.LastName, dependent.FirstName);
            Add("DMG", "D8", dependent.DateOfBirth.ToString(D8, CultureInfo.InvariantCulture));
            Add("INS", "N", dependent.RelationshipCode);
        }

        if (Dates is not null)
        {
            if (Dates is { AsRange: true, PlanEnd: { } rangeEnd })
            {
                Add("DTP", "291", "RD8", Dates.PlanBegin.ToString(D8, CultureInfo.InvariantCulture) + "-" + rangeEnd.ToString(D8, CultureInfo.InvariantCulture));
            }
            else
            {
                Add("DTP", "346", "D8", Dates.PlanBegin.ToString(D8, CultureInfo.InvariantCulture));
                if (Dates.PlanEnd is { } planEnd)
                {
                    Add("DTP", "347", "D8", planEnd.ToString(D8, CultureInfo.InvariantCulture));
                }
            }

            Add("DTP", "356", "D8", Dates.EligibilityBegin.ToString(D8, CultureInfo.InvariantCulture));
            if (Dates.EligibilityEnd is { } eligibilityEnd)
            {
                Add("DTP", "357", "D8", eligibilityEnd.ToString(D8, CultureInfo.InvariantCulture));
            }
            foreach (var row in Rows)
            {
                Add("EB", row.Code, row.CoverageLevelCode, string.Join('^', row.ServiceTypeCodes), row.InsuranceTypeCode, row.PlanCoverage,
                    row.TimeQualifierCode, row.Amount is { } a ? X12Number(a) : null, row.Percent is { } p ? X12Number(p) : null,
                    row.QuantityQualifierCode, row.Quantity is { } q ? X12Number(q) : null, row.AuthOrCert, row.Network);
                foreach (var message in row.Messages ?? [])
                {
                    Add("MSG", message);
                }

                if (row.Entity is { } entity)
                {
                    Add("LS", "2120");
                    if (entity.MemberId is { } entityMemberId)
                    {
                        Add("NM1", "VN", "2", entity.Name, "", "", "", "", "MI", entityMemberId);
                    }
                    else
                    {
                        Add("NM1", "VN", "2", entity.Name);
                    }

                    Add("PER", "IC", "", "TE", entity.Phone);
                    Add("LE", "2120");
                }
            }
        }

        Add("SE", (segments.Count + 1).ToString(CultureInfo.InvariantCulture), "0001");

        var isa = $"ISA*00*{"",-10}*00*{"",-10}*ZZ*{"SANDBOXCH",-15}*ZZ*{"COVERAGECHECK",-15}*{now.ToString("yyMMdd", CultureInfo.InvariantCulture)}*{time}*^*00501*{ControlNumber}*0*T*:";
        var gs = $"GS*HB*SANDBOXCH*COVERAGECHECK*{date}*{time}*1*X*005010X279A1";
        var builder = new StringBuilder(isa).Append('~').Append(gs).Append('~');
        foreach (var segment in segments)
        {
            builder.Append(segment).Append('~');
        }

        builder.Append("GE*1*1~IEA*1*").Append(ControlNumber).Append('~');
        return builder.ToString();
    }

    private void AddAaa(Action<string?[]> add, AaaLoop loop)
    {
        foreach (var error in Errors.Where(e => e.Loop == loop))
        {
            add(["AAA", error.ValidRequest ? "Y" : "N", "", error.Code, error.FollowUpCode]);
        }
    }

    /// <summary>Keeps delimiters out of element values.</summary>
    private static string Clean(string value) =>
        value.IndexOfAny(['*', '~', '^', ':']) < 0 ? value : new string(value.Where(c => c is not ('*' or '~' or '^' or ':')).ToArray());
}
