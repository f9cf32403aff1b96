using CoverageCheck.Service.Features.Contracts;

namespace CoverageCheck.Service.Tests.Contracts;

/// <summary>Issue #17: which contract a plan gets — the most specific one in force on the first session's date.</summary>
internal sealed class ContractMatcherTests
{
    private const string Anthem = "040";
    private static readonly DateOnly March2 = new(2026, 3, 2);

    private static Contract Contract(string id, string network, ContractMatch? match = null, decimal? allowed = null, DateOnly? from = null, DateOnly? to = null, string payerId = Anthem) => new()
    {
        Id = id,
        PayerId = payerId,
        Network = network,
        Match = match ?? new ContractMatch(),
        AllowedPerDay = allowed,
        EffectiveFrom = from ?? new DateOnly(2026, 1, 1),
        EffectiveTo = to,
    };

    private static readonly Contract[] AnthemContracts =
    [
        Contract("anthem-ppo", "in", new ContractMatch { PlanNameContains = "PPO" }, 410m),
        Contract("anthem-epo", "out", new ContractMatch { PlanNameContains = "epo" }),
    ];

    private static ContractMatchResult? Match(IEnumerable<Contract> contracts, string? plan, string? group = null, string? type = null, DateOnly? on = null) =>
        ContractMatcher.Match(contracts, new ContractSubject(Anthem, plan, group, type, on ?? March2));

    [Test]
    public void An_Anthem_PPO_is_in_network_and_an_Anthem_EPO_out_by_plan_name()
    {
        var ppo = Match(AnthemContracts, "Blue Access PPO");
        var epo = Match(AnthemContracts, "Pathway X EPO");

        Assert.Multiple(() =>
        {
            Assert.That(ppo?.Info, Is.EqualTo(new ContractMatchInfo("anthem-ppo", "planName")));
            Assert.That(ppo?.Contract.Network, Is.EqualTo("in"));
            Assert.That(ppo?.Contract.AllowedPerDay, Is.EqualTo(410m));
            Assert.That(epo?.Info, Is.EqualTo(new ContractMatchInfo("anthem-epo", "planName")), "plan names compare ignoring case");
            Assert.That(epo?.Contract.Network, Is.EqualTo("out"));
        });
    }

    [Test]
    public void A_plan_no_rule_matches_gets_no_contract_so_the_payer_table_applies()
    {
        Assert.That(Match(AnthemContracts, "Blue Priority HMO"), Is.Null);
        Assert.That(Match(AnthemContracts, plan: null), Is.Null, "no plan name: a plan-name rule cannot hold");
    }

    [Test]
    public void A_group_number_rule_beats_a_plan_name_rule_which_beats_an_insurance_type_which_beats_payer_wide()
    {
        Contract[] contracts =
        [
            Contract("anthem-all", "in"),
            Contract("anthem-pr", "in", new ContractMatch { InsuranceTypes = ["PR"] }),
            .. AnthemContracts,
            Contract("acme-employer", "in", new ContractMatch { GroupNumbers = ["G1", "acme-77"] }, 500m),
        ];

        Assert.Multiple(() =>
        {
            Assert.That(Match(contracts, "Blue Access EPO", group: "ACME-77", type: "PR")?.Info, Is.EqualTo(new ContractMatchInfo("acme-employer", "groupNumber")));
            Assert.That(Match(contracts, "Blue Access EPO", group: "OTHER", type: "PR")?.Info, Is.EqualTo(new ContractMatchInfo("anthem-epo", "planName")));
            Assert.That(Match(contracts, "Blue Priority HMO", group: "OTHER", type: "PR")?.Info, Is.EqualTo(new ContractMatchInfo("anthem-pr", "insuranceType")));
            Assert.That(Match(contracts, "Blue Priority HMO", group: null, type: "HM")?.Info, Is.EqualTo(new ContractMatchInfo("anthem-all", "payer")));
        });
    }

    [Test]
    public void Every_rule_of_a_contract_must_hold_and_more_rules_win_a_tie()
    {
        Contract[] contracts =
        [
            Contract("ppo", "in", new ContractMatch { PlanNameContains = "PPO" }),
            Contract("ppo-pr", "in", new ContractMatch { PlanNameContains = "PPO", InsuranceTypes = ["PR"] }),
        ];

        Assert.That(Match(contracts, "Blue PPO", type: "PR")?.Contract.Id, Is.EqualTo("ppo-pr"));
        Assert.That(Match(contracts, "Blue PPO", type: "HM")?.Contract.Id, Is.EqualTo("ppo"), "ppo-pr's insurance type fails");
    }

    [TestCase("2025-12-31", null, TestName = "Before the contract begins: none")]
    [TestCase("2026-01-01", "ppo-2026", TestName = "On its first day")]
    [TestCase("2026-06-30", "ppo-2026", TestName = "On its last day")]
    [TestCase("2026-07-01", "ppo-2026b", TestName = "The day after: its successor")]
    public void A_contract_applies_on_or_between_its_effective_dates(string on, string? expected)
    {
        Contract[] contracts =
        [
            Contract("ppo-2026", "in", new ContractMatch { PlanNameContains = "PPO" }, 410m, new DateOnly(2026, 1, 1), new DateOnly(2026, 6, 30)),
            Contract("ppo-2026b", "in", new ContractMatch { PlanNameContains = "PPO" }, 425m, new DateOnly(2026, 7, 1)),
        ];

        Assert.That(Match(contracts, "Blue PPO", on: DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture))?.Contract.Id, Is.EqualTo(expected));
    }

    [Test]
    public void Of_two_equally_specific_contracts_the_later_one_wins_whatever_the_order()
    {
        var older = Contract("a-old", "in", new ContractMatch { PlanNameContains = "PPO" }, from: new DateOnly(2025, 1, 1));
        var newer = Contract("z-new", "in", new ContractMatch { PlanNameContains = "PPO" }, from: new DateOnly(2026, 1, 1));

        Assert.That(Match([older, newer], "PPO")?.Contract.Id, Is.EqualTo("z-new"));
        Assert.That(Match([newer, older], "PPO")?.Contract.Id, Is.EqualTo("z-new"));
    }

    [Test]
    public void Another_payers_contract_never_matches()
    {
        Assert.That(Match([Contract("aetna-all", "out", payerId: "60054")], "Blue PPO"), Is.Null);
    }

    [Test]
    public void The_date_is_the_first_session_not_the_program_start()
    {
        // A program that may start on Saturday 28 February 2026 first meets on Monday 2 March.
        Assert.That(ContractSubject.DateFor(new DateOnly(2026, 2, 28), 8, 5, new DateOnly(2026, 2, 20)), Is.EqualTo(March2));
        Assert.That(ContractSubject.DateFor(null, 1, 1, new DateOnly(2026, 2, 20)), Is.EqualTo(new DateOnly(2026, 2, 20)), "no program: the date of service");
    }
}
