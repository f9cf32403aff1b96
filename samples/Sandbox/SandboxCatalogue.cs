namespace CoverageCheck.Sandbox;

/// <summary>
/// The sandbox's payers and synthetic members (documented in docs/sandbox.md). Names, dates of birth and member IDs
/// are invented; the Medicare ID is CMS's published example MBI.
/// </summary>
public static class SandboxCatalogue
{
    public const string Aetna = "60054";
    public const string Cigna = "62308";
    public const string UnitedHealthcare = "87726";
    public const string Humana = "61101";
    public const string Kaiser = "94134";
    public const string Medicare = "CMS";
    public const string MediCal = "610442";
    /// <summary>A payer ID with a leading zero, for the payer whose connection misbehaves.</summary>
    public const string Regional = "00710";
    /// <summary>A behavioural-health administrator (carve-out) that answers for its own members (#16).</summary>
    public const string AcmeBehavioralHealth = "ACMBH";

    public static IReadOnlyDictionary<string, string> PayerNames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Aetna] = "AETNA",
        [Cigna] = "CIGNA HEALTHCARE",
        [UnitedHealthcare] = "UNITEDHEALTHCARE",
        [Humana] = "HUMANA",
        [Kaiser] = "KAISER PERMANENTE",
        [Medicare] = "CMS MEDICARE",
        [MediCal] = "MEDI-CAL",
        [Regional] = "SANDBOX REGIONAL HEALTH PLAN",
        [AcmeBehavioralHealth] = "ACME BEHAVIORAL HEALTH",
    };

    private static readonly SandboxTier AetnaOutOfNetwork = new(CopayPerVisit: null, CoinsuranceShare: 0.5m, AuthorizationRequired: true);

    private static SandboxAccumulators AetnaOutOfNetworkPlan(bool family) => new(
        new SandboxAmount(3000m, 3000m),
        family ? new SandboxAmount(6000m, 6000m) : null,
        new SandboxAmount(12000m, 12000m),
        family ? new SandboxAmount(24000m, 24000m) : null);

    public static IReadOnlyList<SandboxMember> Members { get; } =
    [
        new(Aetna, "W100000001", "AVA", "PPOSAMPLE", new DateOnly(1985, 4, 12), "AET100",
            "PPO: in-network deductible $1,500 ($1,300 left), 20 % coinsurance, OOP max $6,000 ($5,100 left), prior auth; out of network 50 % after $3,000",
            new SandboxCoverage("Choice POS II", "PR", "IND", true, null, "AI",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(1500m, 1300m), null, new SandboxAmount(6000m, 5100m), null),
                    AetnaOutOfNetworkPlan(family: false)),
                new SandboxTier(0m, 0.2m, true),
                AetnaOutOfNetwork)),

        new(Aetna, "W100000002", "BEN", "DEDMET", new DateOnly(1979, 9, 30), "AET100",
            "PPO, deductible already met ($0 of $1,000 left); 20 % coinsurance; OOP $4,000 with $2,150 left",
            new SandboxCoverage("Choice POS II", "PR", "IND", true, null, "AI",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(1000m, 0m), null, new SandboxAmount(4000m, 2150m), null),
                    AetnaOutOfNetworkPlan(family: false)),
                new SandboxTier(0m, 0.2m, true),
                AetnaOutOfNetwork)),

        new(Aetna, "W100000003", "CARA", "OOPNEAR", new DateOnly(1990, 1, 15), "AET200",
            "PPO, out-of-pocket nearly met: $150 of $6,000 left, deductible met; 20 % coinsurance",
            new SandboxCoverage("Open Access Aetna Select", "PR", "IND", true, null, "AI",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(2000m, 0m), null, new SandboxAmount(6000m, 150m), null),
                    AetnaOutOfNetworkPlan(family: false)),
                new SandboxTier(0m, 0.2m, true),
                AetnaOutOfNetwork)),

        new(Aetna, "W100000004", "DEV", "FAMILYPLAN", new DateOnly(1982, 3, 3), "AET300",
            "Family PPO: individual deductible $1,500 untouched but family deductible $3,000 with $900 left; OOP $6,000 / family $12,000 ($8,000 left); 20 %",
            new SandboxCoverage("Choice POS II Family", "PR", "FAM", true, null, "AI",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(1500m, 1500m), new SandboxAmount(3000m, 900m), new SandboxAmount(6000m, 6000m), new SandboxAmount(12000m, 8000m)),
                    AetnaOutOfNetworkPlan(family: true)),
                new SandboxTier(0m, 0.2m, true),
                AetnaOutOfNetwork)),

        new(Aetna, "W100000005", "ELI", "VISITCAP", new DateOnly(1995, 7, 7), "AET100",
            "PPO with a visit limit: 30 substance-use visits a year, 6 left; deductible $500 met; 10 % coinsurance",
            new SandboxCoverage("Choice POS II", "PR", "IND", true, null, "AI",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(500m, 0m), null, new SandboxAmount(3500m, 2900m), null),
                    AetnaOutOfNetworkPlan(family: false)),
                new SandboxTier(0m, 0.1m, true, new SandboxAmount(30m, 6m)),
                AetnaOutOfNetwork)),

        new(Aetna, "W100000009", "FAY", "TERMINATED", new DateOnly(1970, 11, 2), "AET100",
            "Coverage terminated at the end of the month before the date of service: inactive (EB 6), no benefits",
            new SandboxCoverage("Choice POS II", "PR", "IND", false, null, "AI", null, null, null)),

        new(Aetna, "W100000020", "GIA", "ENDSMIDPROGRAM", new DateOnly(1987, 5, 19), "AET100",
            "Employment ends mid-program: eligibility ends (DTP 357) 21 days after the date of service while the plan year renews; otherwise as W100000001. PUT endStatedAs to state the end as DTP 347 or a DTP 291 range instead",
            new SandboxCoverage("Choice POS II", "PR", "IND", true, null, "AI",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(1500m, 1300m), null, new SandboxAmount(6000m, 5100m), null),
                    AetnaOutOfNetworkPlan(family: false)),
                new SandboxTier(0m, 0.2m, true),
                AetnaOutOfNetwork,
                EndStatedAs: CoverageEndKind.EligibilityEnd,
                EndsDaysAfterService: 21)),

        // A family: the subscriber, a spouse and a child on her plan without IDs of their own, and a child with one.
        new(Aetna, "W100000010", "ROSA", "FAMILYHEAD", new DateOnly(1978, 2, 14), "AET300",
            "Family plan subscriber with dependents SAM (spouse, 1979-06-01) and TESS (child, 2004-09-09) who have no IDs of their own: ask for them in dependents[] under this ID; family deductible $3,000 ($2,400 left), individual $1,500 ($1,500 left), OOP $6,000 / family $12,000 ($11,000 left), 20 %",
            FamilyPpo(),
            Dependents:
            [
                new SandboxDependent("SAM", "FAMILYHEAD", new DateOnly(1979, 6, 1), "01"),
                new SandboxDependent("TESS", "FAMILYHEAD", new DateOnly(2004, 9, 9), "19"),
            ]),

        new(Aetna, "W100000012", "UMA", "FAMILYHEAD", new DateOnly(2006, 1, 20), "AET300",
            "A dependent (ROSA FAMILYHEAD's child) with a member ID of her own: asked about as the subscriber she answers; asked as a dependent under her own ID, AAA 75",
            FamilyPpo()),

        new(Kaiser, "K200000001", "GUS", "COPAYONLY", new DateOnly(1988, 6, 21), "KP4400",
            "HMO, copay only: $25 a visit in network, no deductible, no coinsurance, OOP $3,000 ($2,800 left); out of network not covered",
            new SandboxCoverage("KP CA Gold 25 HMO", "HM", "IND", true, null, "AI",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(0m, 0m), null, new SandboxAmount(3000m, 2800m), null),
                    null),
                new SandboxTier(25m, 0m, true),
                null)),

        new(UnitedHealthcare, "U300000001", "HAL", "OONONLY", new DateOnly(1992, 2, 29), "UHC7701",
            "Out-of-network benefits only (our NPI is out of network): deductible $2,000 untouched, 40 % coinsurance, OOP $8,000",
            new SandboxCoverage("Choice Plus", "PS", "IND", true, null, "AI",
                new SandboxPlanLevel(
                    null,
                    new SandboxAccumulators(new SandboxAmount(2000m, 2000m), null, new SandboxAmount(8000m, 8000m), null)),
                null,
                new SandboxTier(null, 0.4m, true),
                Messages: ["Provider is out of network based on NPI ID provided in request."])),

        new(Cigna, "C400000001", "IDA", "CARVEOUT", new DateOnly(1975, 12, 24), "CIG5500",
            "Behavioural-health carve-out: medical plan active (deductible $1,000, $800 left) but AI/MH benefits are held by a behavioural-health administrator (EB U + entity and phone)",
            new SandboxCoverage("Open Access Plus", "PS", "IND", true, null, "AI",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(1000m, 800m), null, new SandboxAmount(5000m, 4600m), null),
                    null),
                null,
                null,
                new SandboxCarveOut("EXAMPLE BEHAVIORAL HEALTH ADMINISTRATOR", "8005551234"))),

        // #16 carve-outs followed: UnitedHealthcare members whose 271 names ACME Behavioral Health (with the member's ID
        // there), and ACME's own members, who answer with their own IOP benefits.
        new(UnitedHealthcare, "U300000077", "REED", "CARVEDOUT", new DateOnly(1988, 6, 14), "UHC7701",
            "Carve-out to ACME Behavioral Health: medical plan active, AI/MH held by ACME BEHAVIORAL HEALTH (EB U, entity ID C400000002, phone 8005550177)",
            UhcCarvedOut(new SandboxCarveOut("ACME BEHAVIORAL HEALTH", "8005550177", "C400000002"))),

        new(UnitedHealthcare, "U300000078", "SKYE", "CARVEDOUTNOACC", new DateOnly(1993, 3, 3), "UHC7701",
            "Carve-out to ACME Behavioral Health (entity ID C400000003), whose answer gives no accumulators",
            UhcCarvedOut(new SandboxCarveOut("ACME BEHAVIORAL HEALTH", "8005550177", "C400000003"))),

        new(AcmeBehavioralHealth, "C400000002", "REED", "CARVEDOUT", new DateOnly(1988, 6, 14), "ACME100",
            "ACME Behavioral Health member (U300000077's administrator): IOP in network $20 copay a day, deductible $500 ($350 left), OOP $3,000 ($2,800 left), prior auth",
            new SandboxCoverage("ACME Behavioral Health IOP", "PR", "IND", true, null, "AI",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(500m, 350m), null, new SandboxAmount(3000m, 2800m), null),
                    null),
                new SandboxTier(20m, 0m, true),
                null)),

        new(AcmeBehavioralHealth, "C400000003", "SKYE", "CARVEDOUTNOACC", new DateOnly(1993, 3, 3), "ACME100",
            "ACME Behavioral Health member (U300000078's administrator): IOP in network 10 % coinsurance, prior auth, and no deductible or out-of-pocket rows",
            new SandboxCoverage("ACME Behavioral Health IOP", "PR", "IND", true, null, "AI",
                null,
                new SandboxTier(null, 0.1m, true),
                null)),

        new(Humana, "H500000001", "JON", "MHONLY", new DateOnly(1966, 8, 8), "HUM1200",
            "Benefits filed under MH only (no AI rows): $40 copay a visit, no prior auth; deductible $750 untouched, OOP $5,500 ($5,380 left)",
            new SandboxCoverage("Humana Gold Plus", "PR", "IND", true, null, "MH",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(750m, 750m), null, new SandboxAmount(5500m, 5380m), null),
                    null),
                new SandboxTier(40m, 0m, false),
                null)),

        new(Humana, "H500000053", "QUINN", "STCREJECT", new DateOnly(1977, 5, 17), "HUM1200",
            "Refuses specific service types: asked AI (or anything but 30) it answers 400 AAA 53 'Inquired Benefit Inconsistent with Provider Type'; asked 30 it answers: $35 copay, 20 %, deductible $1,200 ($400 left)",
            new SandboxCoverage("Humana Choice PPO", "PR", "IND", true, null, "30",
                new SandboxPlanLevel(
                    new SandboxAccumulators(new SandboxAmount(1200m, 400m), null, new SandboxAmount(6500m, 5100m), null),
                    null),
                new SandboxTier(35m, 0.2m, true),
                null),
            SandboxBehaviour.OnlyServiceType30),

        new(Medicare, "1EG4TE5MK73", "KAY", "MEDICAREPARTB", new DateOnly(1955, 5, 5), null,
            "Medicare Part B: deductible $283 ($283 left), 20 % coinsurance, no out-of-pocket maximum, no network tiers",
            new SandboxCoverage("Medicare Part B", "MB", "IND", true, null, "AI",
                new SandboxPlanLevel(new SandboxAccumulators(new SandboxAmount(283m, 283m), null, null, null), null),
                new SandboxTier(null, 0.2m, false),
                null,
                NetworkIndicators: false)),

        new(MediCal, "91234567A", "LEE", "MEDICAL", new DateOnly(2001, 10, 10), null,
            "Medi-Cal: active, no share of cost, prior authorisation required; benefits only at service type 30",
            new SandboxCoverage("MEDI-CAL", "MC", "IND", true, null, "30",
                new SandboxPlanLevel(new SandboxAccumulators(new SandboxAmount(0m, 0m), null, new SandboxAmount(0m, 0m), null), null),
                new SandboxTier(0m, 0m, true),
                null,
                Messages: ["Substance use disorder services through the county Drug Medi-Cal Organized Delivery System."])),

        new(Regional, "R600000042", "MAX", "PAYERDOWN", new DateOnly(1980, 4, 4), "REG001",
            "Payer unavailable: 200 with AAA 42 'Unable to Respond at Current Time', follow-up R (retry later)",
            RegionalPpo(), SandboxBehaviour.PayerUnavailable),

        new(Regional, "R600000001", "NIA", "SLOWPAYER", new DateOnly(1983, 3, 13), "REG001",
            "Slow answers: each answer takes Sandbox:SlowLatencyMs (20 s), past the 15 s real-time budget",
            RegionalPpo(), SandboxBehaviour.Slow),

        new(Regional, "R600000503", "OLA", "BURSTFIVEOHTHREE", new DateOnly(1987, 7, 17), "REG001",
            "503 bursts: two of every three calls answer 503 (no Retry-After), the third answers normally",
            RegionalPpo(), SandboxBehaviour.Burst503),

        new(Regional, "R600000429", "PIA", "BURSTFOURTWONINE", new DateOnly(1991, 9, 19), "REG001",
            "429 bursts: two of every three calls answer 429 with Retry-After: 1, the third answers normally",
            RegionalPpo(), SandboxBehaviour.Burst429),
    ];

    private static SandboxCoverage FamilyPpo() =>
        new("Choice POS II Family", "PR", "FAM", true, null, "AI",
            new SandboxPlanLevel(
                new SandboxAccumulators(new SandboxAmount(1500m, 1500m), new SandboxAmount(3000m, 2400m), new SandboxAmount(6000m, 6000m), new SandboxAmount(12000m, 11000m)),
                AetnaOutOfNetworkPlan(family: true)),
            new SandboxTier(0m, 0.2m, true),
            AetnaOutOfNetwork);

    private static SandboxCoverage UhcCarvedOut(SandboxCarveOut administrator) =>
        new("Choice Plus", "PS", "IND", true, null, "AI",
            new SandboxPlanLevel(
                new SandboxAccumulators(new SandboxAmount(2000m, 1800m), null, new SandboxAmount(7000m, 6500m), null),
                null),
            null,
            null,
            administrator);

    private static SandboxCoverage RegionalPpo() =>
        new("Regional PPO 1000", "PR", "IND", true, null, "AI",
            new SandboxPlanLevel(
                new SandboxAccumulators(new SandboxAmount(1000m, 1000m), null, new SandboxAmount(5000m, 5000m), null),
                null),
            new SandboxTier(30m, 0.2m, true),
            null);
}
