using System.Globalization;
using CoverageCheck.Clients.X12;

namespace CoverageCheck.Clients.Eligibility;

/// <summary>
/// Turns a payer's answer, as clearinghouse JSON or as a raw X12 271, into an <see cref="EligibilityReading"/>
/// following eligibility.md. Both formats are first brought to one common form and then read by the same rules, so
/// a JSON answer and its <c>x12</c> twin give the same benefits. Never throws for bad input.
/// </summary>
public static class CoverageNormalizer
{
    /// <summary>Reads a clearinghouse "medicalnetwork/eligibility/v3" response body (HTTP 200 or 400: rejections come in the body).</summary>
    public static EligibilityReading FromClearinghouseJson(string? json)
    {
        var response = ClearinghouseJson.TryDeserialize(json, out var error);
        return response is null ? EligibilityReading.Unreadable([error ?? "the clearinghouse response could not be read"]) : FromClearinghouse(response);
    }

    /// <summary>Reads an already deserialised clearinghouse response.</summary>
    public static EligibilityReading FromClearinghouse(ClearinghouseEligibilityResponse response)
    {
        var warnings = new List<string>();
        var answer = ToAnswer(response, warnings);
        return Read(answer, warnings, []);
    }

    /// <summary>
    /// Reads a raw 271 and returns the primary answer: the first patient in the interchange (first subscriber without
    /// dependents, or first dependent, in file order). When there are more, a warning says how many and
    /// <see cref="FromX12All"/> returns them all.
    /// </summary>
    public static EligibilityReading FromX12(string? x12) => FromX12All(x12).Primary;

    /// <summary>Reads a raw 271 and returns every patient answer in it, in file order; the first is the primary one.</summary>
    public static X12EligibilityReadings FromX12All(string? x12)
    {
        var read = X271Reader.Read(x12);
        return FromX271(read);
    }

    /// <summary>Normalises what <see cref="X271Reader"/> read.</summary>
    public static X12EligibilityReadings FromX271(X271ReadResult read)
    {
        var inputErrors = read.Errors.Select(e => e.ToString()).ToArray();
        var envelopeWarnings = read.Warnings.Select(w => w.ToString()).ToArray();
        if (read.Responses.Count == 0)
        {
            var errors = inputErrors.Length > 0 ? inputErrors : ["the interchange holds no payer answer (no HL loops)"];
            return new X12EligibilityReadings(EligibilityReading.Unreadable(errors, envelopeWarnings), [], read);
        }

        var readings = new List<EligibilityReading>(read.Responses.Count);
        for (var i = 0; i < read.Responses.Count; i++)
        {
            var warnings = new List<string>(envelopeWarnings);
            if (i == 0 && read.Responses.Count > 1)
            {
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"the interchange holds {read.Responses.Count} patient answers; this is the first (HL at segment {read.Responses[0].Patient?.SegmentPosition ?? read.Responses[0].Payer?.SegmentPosition}); the others are returned as further results"));
            }

            var answer = ToAnswer(read.Responses[i], warnings);
            readings.Add(Read(answer, warnings, inputErrors));
        }

        return new X12EligibilityReadings(readings[0], readings, read);
    }

    private static EligibilityReading Read(EligibilityAnswer answer, List<string> warnings, IReadOnlyList<string> inputErrors)
    {
        var assumptions = new List<string>();
        var coverage = BenefitRules.Normalize(answer, warnings, assumptions);
        return new EligibilityReading(answer.Payer, coverage, answer.Errors, warnings.Distinct().ToArray(), assumptions.Distinct().ToArray(), inputErrors);
    }

    private static EligibilityAnswer ToAnswer(ClearinghouseEligibilityResponse response, List<string> warnings)
    {
        var payer = response.Payer is null
            ? null
            : new PayerInfo(
                Blank(response.Payer.PayorIdentification) ?? Blank(response.Payer.CentersForMedicareAndMedicaidPlanId) ?? Blank(response.Payer.FederalTaxpayersIdNumber),
                Blank(response.Payer.Name));

        var dates = response.PlanDateInformation;
        var planBegin = JsonDate(dates?.PlanBegin, "planDateInformation.planBegin", warnings);
        var planEnd = JsonDate(dates?.PlanEnd, "planDateInformation.planEnd", warnings);
        var plan = JsonDate(dates?.Plan, "planDateInformation.plan", warnings);
        var eligibilityBegin = JsonDate(dates?.EligibilityBegin, "planDateInformation.eligibilityBegin", warnings);
        var eligibilityEnd = JsonDate(dates?.EligibilityEnd, "planDateInformation.eligibilityEnd", warnings);
        var planIsRange = plan.Begin != plan.End || (dates?.Plan?.Trim().Length ?? 0) > 10;

        var rows = new List<BenefitRow>();
        var benefits = response.BenefitsInformation ?? [];
        for (var i = 0; i < benefits.Count; i++)
        {
            var b = benefits[i];
            var places = (b.EligibilityAdditionalInformationList ?? (b.EligibilityAdditionalInformation is null ? [] : [b.EligibilityAdditionalInformation]))
                .Where(a => a.CodeListQualifierCode is null or "ZZ")
                .Select(a => Blank(a.IndustryCode))
                .OfType<string>()
                .ToArray();
            var entities = (b.BenefitsRelatedEntities ?? []).Concat(b.BenefitsRelatedEntity ?? [])
                .Select(e => new RelatedParty(JoinName(e.EntityFirstName, e.EntityName), JsonPhone(e.ContactInformation), Blank(e.EntityIdentificationValue), Blank(e.EntityIdentifier)) { IdQualifier = Blank(e.EntityIdentification) })
                .ToArray();
            var rowDates = b.BenefitsDateInformation;
            var rowPlan = PayerValues.ParseDateOrRange(rowDates?.Plan);
            var rowBegin = PayerValues.ParseDateOrRange(rowDates?.BenefitBegin);
            var rowEnd = PayerValues.ParseDateOrRange(rowDates?.BenefitEnd);
            rows.Add(new BenefitRow(
                i,
                BenefitRowSource.BenefitsInformation,
                i,
                Code(b.Code),
                Code(b.CoverageLevelCode),
                DistinctCodes(b.ServiceTypeCodes),
                Blank(b.PlanCoverage),
                Code(b.TimeQualifierCode),
                Blank(b.BenefitAmount),
                Blank(b.BenefitPercent),
                Code(b.QuantityQualifierCode),
                Blank(b.BenefitQuantity),
                Code(b.AuthOrCertIndicator),
                Code(b.InPlanNetworkIndicatorCode),
                places,
                (b.AdditionalInformation ?? []).Select(m => Blank(m.Description)).OfType<string>().ToArray(),
                entities)
            {
                InsuranceType = Code(b.InsuranceTypeCode),
                Begin = rowBegin.Begin ?? rowPlan.Begin,
                End = rowEnd.End ?? rowPlan.End,
            });
        }

        if (rows.Count == 0 && response.PlanStatus is { Count: > 0 } statuses)
        {
            // The deprecated planStatus summary still says whether the plan is active when no EB rows came.
            for (var i = 0; i < statuses.Count; i++)
            {
                var s = statuses[i];
                rows.Add(new BenefitRow(i, BenefitRowSource.PlanStatus, i, Code(s.StatusCode), null,
                    DistinctCodes(s.ServiceTypeCodes), Blank(s.PlanDetails),
                    null, null, null, null, null, null, null, [], [], []));
            }
        }

        var errors = new List<AaaError>();
        AddJsonErrors(errors, response.Errors, null);
        AddJsonErrors(errors, response.Payer?.AaaErrors, "Loop 2100A");
        AddJsonErrors(errors, response.Provider?.AaaErrors, "Loop 2100B");
        AddJsonErrors(errors, response.Subscriber?.AaaErrors, "Loop 2100C");
        foreach (var dependent in response.Dependents ?? [])
        {
            AddJsonErrors(errors, dependent.AaaErrors, "Loop 2100D");
        }

        foreach (var warning in response.Warnings ?? [])
        {
            if (Blank(warning.Code) is { } code)
            {
                warnings.Add($"clearinghouse warning {code}" + (Blank(warning.Description) is { } text ? $": {text}" : string.Empty));
            }
        }

        return new EligibilityAnswer(
            payer,
            Blank(response.PlanInformation?.GroupNumber) ?? Blank(response.Subscriber?.GroupNumber),
            planBegin.Begin ?? (planIsRange ? plan.Begin : null),
            planEnd.Begin ?? (planIsRange ? plan.End : null),
            eligibilityBegin.Begin,
            eligibilityEnd.Begin,
            rows,
            Deduplicate(errors),
            warnings)
        {
            PlanReferenceName = Blank(response.PlanInformation?.PlanDescription),
        };
    }

    private static EligibilityAnswer ToAnswer(X271Response response, List<string> warnings)
    {
        var payerName = response.Payer?.Name;
        var payer = payerName is null ? null : new PayerInfo(payerName.IdentificationCode, payerName.LastOrOrganizationName);
        var patient = response.Patient;
        var subscriber = response.Subscriber;
        var memberReferences = (patient?.References ?? []).Concat(patient != subscriber ? subscriber?.References ?? [] : []).ToList();
        var planReferenceName = memberReferences.FirstOrDefault(r => r.Qualifier == "18" && r.Description is not null)?.Description
            ?? memberReferences.FirstOrDefault(r => r.Qualifier == "CE" && r.Description is not null)?.Description;

        var dates = (patient?.Dates ?? []).Concat(patient != subscriber ? subscriber?.Dates ?? [] : []).ToList();
        var planBegin = X12DateOf(dates, "346")?.Begin;
        var planEnd = X12DateOf(dates, "347")?.Begin;
        var planRange = dates.FirstOrDefault(d => d.Qualifier == "291" && d.Format == "RD8" && d.Begin is not null);
        foreach (var unreadable in dates.Where(d => d.Value is not null && d.Begin is null))
        {
            warnings.Add($"DTP {unreadable.Qualifier}: date is not readable; ignored");
        }

        var groupNumber = (patient?.References ?? []).Concat(patient != subscriber ? subscriber?.References ?? [] : [])
            .FirstOrDefault(r => r.Qualifier == "6P" && r.Value is not null)?.Value;

        var rows = new List<BenefitRow>();
        var errors = new List<AaaError>();
        foreach (var rejection in (response.Payer?.Rejections ?? []).Concat(response.Provider?.Rejections ?? []))
        {
            errors.Add(X12Error(rejection));
        }

        if (subscriber is not null && patient != subscriber)
        {
            errors.AddRange(subscriber.Rejections.Select(X12Error));
        }

        if (patient is not null)
        {
            errors.AddRange(patient.Rejections.Select(X12Error));

            // A dependent's own EB rows (2110D) where the payer sends them there; else the subscriber's, which are the plan's.
            var benefits = patient != subscriber && patient.Benefits.Count == 0 && subscriber is not null ? subscriber.Benefits : patient.Benefits;
            for (var i = 0; i < benefits.Count; i++)
            {
                var b = benefits[i];
                errors.AddRange(b.Rejections.Select(X12Error));
                rows.Add(new BenefitRow(
                    i,
                    BenefitRowSource.X12,
                    b.SegmentPosition,
                    b.InformationCode,
                    b.CoverageLevelCode,
                    DistinctCodes(b.ServiceTypeCodes),
                    b.PlanCoverageDescription,
                    b.TimePeriodQualifier,
                    b.MonetaryAmount,
                    b.Percent,
                    b.QuantityQualifier,
                    b.Quantity,
                    b.AuthorizationOrCertificationIndicator,
                    b.InPlanNetworkIndicator,
                    b.AdditionalInformation.Count == 0 ? [] : b.AdditionalInformation.Where(a => a.Qualifier is null or "ZZ").Select(a => a.Code).OfType<string>().ToArray(),
                    b.Messages,
                    b.RelatedEntities.Count == 0 ? [] : b.RelatedEntities.Select(e => new RelatedParty(e.Name.DisplayName, e.Contacts.Select(c => c.Phone).FirstOrDefault(p => p is not null), e.Name.IdentificationCode, e.Name.EntityIdentifierCode) { IdQualifier = e.Name.IdentificationCodeQualifier }).ToArray())
                {
                    InsuranceType = b.InsuranceTypeCode,
                    ProcedureQualifier = ProcedureQualifierOf(b.ProcedureIdentifier),
                    Begin = RowDate(b.Dates, begin: true),
                    End = RowDate(b.Dates, begin: false),
                });
            }
        }

        return new EligibilityAnswer(
            payer,
            groupNumber,
            planBegin ?? planRange?.Begin,
            planEnd ?? planRange?.End,
            X12DateOf(dates, "356")?.Begin,
            X12DateOf(dates, "357")?.Begin,
            rows,
            Deduplicate(errors),
            warnings)
        {
            PlanReferenceName = planReferenceName,
        };
    }

    /// <summary>EB13-1, the two-letter qualifier of the composite procedure identifier (<c>AD</c> ADA dental, <c>HC</c> HCPCS …).</summary>
    private static string? ProcedureQualifierOf(string? procedure) =>
        procedure is { Length: >= 3 } && char.IsAsciiLetter(procedure[0]) && char.IsAsciiLetter(procedure[1]) && !char.IsLetterOrDigit(procedure[2])
            ? Code(procedure[..2])
            : null;

    /// <summary>A benefit row's own dates: begin from 346/292/348/193 (or a range's start), end from 347/349/194 (or a range's end).</summary>
    private static DateOnly? RowDate(IReadOnlyList<X12Date> dates, bool begin)
    {
        foreach (var date in dates)
        {
            if (date.Begin is null)
            {
                continue;
            }

            var isRange = date.Format == "RD8";
            switch (date.Qualifier)
            {
                case "346" or "348" or "193" when begin:
                case "291" or "292" when begin:
                    return date.Begin;
                case "347" or "349" or "194" when !begin:
                    return date.Begin;
                case "291" or "292" when !begin && isRange:
                    return date.End;
            }
        }

        return null;
    }

    private static X12Date? X12DateOf(List<X12Date> dates, string qualifier)
    {
        var date = dates.FirstOrDefault(d => d.Qualifier == qualifier && d.Begin is not null);
        return date is null || date.Begin == new DateOnly(9999, 12, 31) ? null : date;
    }

    private static AaaError X12Error(X12Rejection rejection) =>
        AaaCodes.Create(rejection.RejectReasonCode, null, rejection.FollowUpActionCode, $"Loop {rejection.Loop}");

    private static void AddJsonErrors(List<AaaError> errors, IReadOnlyList<ClearinghouseAaaError>? source, string? defaultLocation)
    {
        foreach (var error in source ?? [])
        {
            if (Blank(error.Code) is null && Blank(error.Description) is null)
            {
                continue;
            }

            errors.Add(AaaCodes.Create(error.Code, error.Description, error.FollowupAction, Blank(error.Location) ?? defaultLocation));
        }
    }

    /// <summary>Stedi repeats each rejection in <c>errors[]</c> and in the loop's <c>aaaErrors</c>: keep one.</summary>
    private static AaaError[] Deduplicate(List<AaaError> errors) =>
        errors.DistinctBy(e => (e.Code, e.FollowUpActionCode ?? e.FollowUpAction, e.Location)).ToArray();

    private static (DateOnly? Begin, DateOnly? End) JsonDate(string? text, string field, List<string> warnings)
    {
        var (begin, end, readable) = PayerValues.ParseDateOrRange(text);
        if (!readable)
        {
            warnings.Add($"{field} is not a date (YYYYMMDD or YYYYMMDD-YYYYMMDD); ignored");
        }

        return (begin, end);
    }

    private static string? JsonPhone(ClearinghouseContactInformation? contact) =>
        contact?.Contacts?.FirstOrDefault(c =>
            c.CommunicationMode is { } mode &&
            (mode.Contains("phone", StringComparison.OrdinalIgnoreCase) || mode is "TE" or "WP") &&
            Blank(c.CommunicationNumber) is not null)?.CommunicationNumber?.Trim();

    private static string? JoinName(string? first, string? last) =>
        Blank(first) is { } f ? $"{f} {Blank(last)}".Trim() : Blank(last);

    /// <summary>Upper-cased service type codes without blanks or repeats (the Change sandbox repeats them).</summary>
    private static IReadOnlyList<string> DistinctCodes(IReadOnlyList<string>? codes)
    {
        if (codes is null || codes.Count == 0)
        {
            return [];
        }

        var result = new List<string>(codes.Count);
        foreach (var raw in codes)
        {
            if (Code(raw) is { } code && !result.Contains(code, StringComparer.Ordinal))
            {
                result.Add(code);
            }
        }

        return result;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Code(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToUpperInvariant();
}

/// <summary>Every patient answer in a 271 interchange, normalised.</summary>
/// <param name="Primary">The first patient's reading (see <see cref="CoverageNormalizer.FromX12"/>); an unreadable reading when there was none.</param>
/// <param name="Readings">All patient readings in file order; empty when none could be read.</param>
/// <param name="Read">What the X12 reader found, with errors and warnings by segment position.</param>
public sealed record X12EligibilityReadings(EligibilityReading Primary, IReadOnlyList<EligibilityReading> Readings, X271ReadResult Read);
