using System.Globalization;

namespace CoverageCheck.Sandbox;

/// <summary>
/// The sandbox as the payer after the care: adjudicates IOP claims against its members' coverage on its own (it knows
/// nothing of the estimator) and issues the X12 835 005010X221A1 remittance, one transaction per payer.
/// </summary>
/// <remarks>
/// Each day, in date order, follows the estimator's rules (docs/sandbox.md, "Remittances"): copay, then deductible on
/// the rest, then coinsurance, the day's share capped by the out-of-pocket remaining in that order; accumulators start
/// from the member's remainders and reset to the totals in a later calendar year. Days after coverage ends are denied
/// CO 27, a carve-out CO 109, days past the visit limit CO 119. Claims of the same member share accumulators.
/// </remarks>
public static partial class SandboxRemittances
{
    /// <summary>The 835 for these claims, adjudicated against the catalogue's members (see <see cref="Adjudicate"/>).</summary>
    /// <exception cref="ArgumentException">A claim or setting is invalid (<see cref="Validate"/> names every problem).</exception>
    public static string Issue(IReadOnlyList<SandboxClaimRequest> claims, SandboxRemittanceSettings settings) =>
        Adjudicate(claims, settings).Text;

    /// <summary>
    /// Adjudicates the claims against <paramref name="state"/>'s members as they are now (the catalogue when null) and
    /// writes the 835. Claims for a member the payer does not know are skipped and reported, never remitted.
    /// Nothing is written back to the members' accumulators.
    /// </summary>
    /// <exception cref="ArgumentException">A claim or setting is invalid (<see cref="Validate"/> names every problem).</exception>
    public static SandboxRemittance Adjudicate(IReadOnlyList<SandboxClaimRequest> claims, SandboxRemittanceSettings settings, SandboxState? state = null)
    {
        var problems = Validate(claims, settings);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems.Select(p => $"{p.Key}: {string.Join(" ", p.Value)}")));
        }

        var catalogue = state is null ? SandboxCatalogue.Members.ToDictionary(m => (m.PayerId, m.MemberId.ToUpperInvariant())) : null;
        SandboxMember? Find(string payerId, string memberId) =>
            state is not null ? state.Find(payerId, memberId) : catalogue!.GetValueOrDefault((payerId, memberId.ToUpperInvariant()));

        var skipped = new List<SandboxSkippedClaim>();
        var found = new List<(int Index, SandboxClaimRequest Claim, SandboxMember Member)>();
        for (var i = 0; i < claims.Count; i++)
        {
            var claim = claims[i];
            if (!SandboxCatalogue.PayerNames.ContainsKey(claim.PayerId))
            {
                skipped.Add(new SandboxSkippedClaim(i, "payer-unknown"));
            }
            else if (Find(claim.PayerId, claim.MemberId) is not { } member)
            {
                skipped.Add(new SandboxSkippedClaim(i, "member-not-found"));
            }
            else
            {
                found.Add((i, claim, member));
            }
        }

        // Per member, claims in order of their first day (then as given), sharing one set of accumulators.
        var adjudicated = new Dictionary<int, AdjudicatedClaim>();
        foreach (var byMember in found.GroupBy(f => (f.Member.PayerId, f.Member.MemberId)))
        {
            var ordered = byMember.OrderBy(f => f.Claim.ServiceDates.Min()).ThenBy(f => f.Index).ToList();
            var member = ordered[0].Member;
            var ledger = new MemberLedger(member.Coverage, ordered[0].Claim.ServiceDates.Min());
            foreach (var (index, claim, _) in ordered)
            {
                adjudicated[index] = AdjudicateClaim(claim, member, ledger, settings.AllowedFor(member.PayerId));
            }
        }

        var byPayer = found
            .GroupBy(f => f.Member.PayerId, StringComparer.Ordinal)
            .Select(g => (PayerId: g.Key, Claims: g.Select(f => adjudicated[f.Index]).ToList()))
            .ToList();
        var text = byPayer.Count == 0 ? "" : Write(byPayer, settings);
        return new SandboxRemittance(text, skipped, byPayer.Count);
    }

    /// <summary>Every problem with the claims and settings, by field (<c>claims[0].serviceDates</c>); empty when fine.</summary>
    public static Dictionary<string, string[]> Validate(IReadOnlyList<SandboxClaimRequest>? claims, SandboxRemittanceSettings? settings)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (settings is null)
        {
            errors["settings"] = ["Settings are required."];
        }
        else
        {
            Text(settings.TraceNumber, "traceNumber", 1, 40, errors);
            Text(settings.PayeeName, "payeeName", 1, 60, errors);
            if (settings.PayeeNpi is not { Length: 10 } npi || !npi.All(char.IsAsciiDigit))
            {
                errors["payeeNpi"] = ["The payee NPI must be 10 digits."];
            }

            Text(settings.PayeeTaxId, "payeeTaxId", 1, 50, errors);
            if (settings.InterchangeControlNumber is < 1 or > 999_999_999)
            {
                errors["interchangeControlNumber"] = ["The interchange control number must be between 1 and 999999999."];
            }

            if (settings.AllowedPerDay < 0)
            {
                errors["allowedPerDay"] = ["The allowed amount per day must not be negative."];
            }

            foreach (var (payerId, rate) in settings.AllowedPerDayByPayer ?? new Dictionary<string, decimal>())
            {
                if (rate < 0)
                {
                    errors[$"allowedPerDayByPayer.{payerId}"] = ["The allowed amount per day must not be negative."];
                }
            }
        }

        if (claims is null || claims.Count == 0)
        {
            errors["claims"] = ["At least one claim is required."];
            return errors;
        }

        if (claims.Count > 10_000)
        {
            errors["claims"] = ["At most 10000 claims in one remittance."];
        }

        for (var i = 0; i < claims.Count; i++)
        {
            var prefix = $"claims[{i}]";
            if (claims[i] is not { } claim)
            {
                errors[prefix] = ["A claim must be an object."];
                continue;
            }

            Text(claim.PatientControlNumber, $"{prefix}.patientControlNumber", 1, 38, errors);
            Text(claim.PayerId, $"{prefix}.payerId", 1, 80, errors);
            Text(claim.MemberId, $"{prefix}.memberId", 2, 80, errors);
            Text(claim.FirstName, $"{prefix}.firstName", 1, 35, errors);
            Text(claim.LastName, $"{prefix}.lastName", 1, 60, errors);
            if (claim.ChargePerDay < 0)
            {
                errors[$"{prefix}.chargePerDay"] = ["The charge per day must not be negative."];
            }

            if (claim.ServiceDates is null || claim.ServiceDates.Count == 0)
            {
                errors[$"{prefix}.serviceDates"] = ["At least one date of service is required."];
            }
            else if (claim.ServiceDates.Count > 366)
            {
                errors[$"{prefix}.serviceDates"] = ["At most 366 dates of service in one claim."];
            }
            else if (claim.ServiceDates.Distinct().Count() != claim.ServiceDates.Count)
            {
                errors[$"{prefix}.serviceDates"] = ["A date of service is listed twice: each IOP day is one line."];
            }
        }

        return errors;
    }

    private static void Text(string? value, string field, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["Required."];
        }
        else if (value.Length < min || value.Length > max)
        {
            errors[field] = [string.Create(CultureInfo.InvariantCulture, $"Must be {min} to {max} characters.")];
        }
        else if (value.IndexOfAny(['*', '~', ':', '^', '\r', '\n']) >= 0)
        {
            errors[field] = ["Must not contain the X12 delimiters * ~ : ^ or line breaks."];
        }
    }

    private static AdjudicatedClaim AdjudicateClaim(SandboxClaimRequest claim, SandboxMember member, MemberLedger ledger, decimal rate)
    {
        var coverage = member.Coverage;
        var charge = Cents(claim.ChargePerDay);
        var tier = coverage.InNetwork ?? coverage.OutOfNetwork;
        var inNetwork = coverage.InNetwork is not null;
        var lines = new List<AdjudicatedLine>();
        foreach (var date in claim.ServiceDates.Order())
        {
            if (!ledger.IsCovered(date))
            {
                lines.Add(AdjudicatedLine.Denied(date, charge, "27"));
                continue;
            }

            if (coverage.CarveOut is not null)
            {
                lines.Add(AdjudicatedLine.Denied(date, charge, "109"));
                continue;
            }

            if (tier is null)
            {
                lines.Add(AdjudicatedLine.Denied(date, charge, "96"));
                continue;
            }

            ledger.StartYearOf(date);
            if (!ledger.TakeVisit())
            {
                lines.Add(AdjudicatedLine.Denied(date, charge, "119"));
                continue;
            }

            // The payer allows the lesser of its rate and the charge (the estimator takes the rate as given).
            var allowed = Math.Min(rate, charge);
            var copayDue = Math.Min(Cents(tier.CopayPerVisit ?? 0m), allowed);
            var deductibleDue = Math.Min(allowed - copayDue, ledger.DeductibleRemaining);
            var coinsuranceDue = Cents((allowed - copayDue - deductibleDue) * (tier.CoinsuranceShare ?? 0m));
            decimal copay = copayDue, deductible = deductibleDue, coinsurance = coinsuranceDue;
            if (ledger.OutOfPocketRemaining is { } remaining)
            {
                copay = Math.Min(copayDue, remaining);
                remaining -= copay;
                deductible = Math.Min(deductibleDue, remaining);
                remaining -= deductible;
                coinsurance = Math.Min(coinsuranceDue, remaining);
            }

            ledger.Pay(deductible, copay + deductible + coinsurance);
            var adjustments = new List<LineAdjustment>();
            if (charge > allowed)
            {
                // In network the excess is the provider's contractual write-off; out of network the patient owes it
                // (the estimator's balance bill), counted toward nothing.
                adjustments.Add(new LineAdjustment(inNetwork ? "CO" : "PR", "45", charge - allowed));
            }

            adjustments.Add(new LineAdjustment("PR", "1", deductible));
            adjustments.Add(new LineAdjustment("PR", "2", coinsurance));
            adjustments.Add(new LineAdjustment("PR", "3", copay));
            lines.Add(new AdjudicatedLine(date, charge, allowed - copay - deductible - coinsurance, allowed, [.. adjustments.Where(a => a.Amount != 0m)]));
        }

        return new AdjudicatedClaim(claim, member, lines);
    }

    private static decimal Cents(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);

    /// <summary>A member's accumulators as the payer runs them through a batch of claims.</summary>
    private sealed class MemberLedger
    {
        private readonly SandboxCoverage _coverage;
        private readonly SandboxAccumulators? _plan;
        private readonly DateOnly _asked;
        private int _year;
        private decimal? _deductibleIndividual, _deductibleFamily, _outOfPocketIndividual, _outOfPocketFamily, _visits;

        /// <param name="coverage">The member's coverage; its remainders hold for the calendar year of <paramref name="firstDay"/>.</param>
        /// <param name="firstDay">The member's first day billed: the date of service the verification asked about, which
        /// also anchors a coverage that ends so many days after it (<see cref="SandboxCoverage.EndsDaysAfterService"/>).</param>
        public MemberLedger(SandboxCoverage coverage, DateOnly firstDay)
        {
            _coverage = coverage;
            _plan = coverage.InNetwork is not null ? coverage.PlanLevel?.InNetwork : coverage.PlanLevel?.OutOfNetwork;
            _asked = firstDay;
            _year = firstDay.Year;
            _deductibleIndividual = _plan?.IndividualDeductible?.Remaining;
            _deductibleFamily = _plan?.FamilyDeductible?.Remaining;
            _outOfPocketIndividual = _plan?.IndividualOutOfPocket?.Remaining;
            _outOfPocketFamily = _plan?.FamilyOutOfPocket?.Remaining;
            _visits = (coverage.InNetwork ?? coverage.OutOfNetwork)?.VisitLimit?.Remaining;
        }

        public decimal DeductibleRemaining => Math.Max(0m, (_deductibleIndividual, _deductibleFamily) switch
        {
            ({ } individual, { } family) => Math.Min(individual, family),
            (null, { } family) => family,
            ({ } individual, null) => individual,
            _ => 0m,
        });

        /// <summary>Null: no out-of-pocket maximum (Original Medicare).</summary>
        public decimal? OutOfPocketRemaining => (_outOfPocketIndividual, _outOfPocketFamily) switch
        {
            ({ } individual, { } family) => Math.Max(0m, Math.Min(individual, family)),
            (null, { } family) => Math.Max(0m, family),
            ({ } individual, null) => Math.Max(0m, individual),
            _ => null,
        };

        public bool IsCovered(DateOnly date) =>
            _coverage.Active && (BenefitRows.EndOf(_coverage, _asked) is not { } end || date <= end);

        /// <summary>A covered day in a later calendar year than the last starts every accumulator again from its total.</summary>
        public void StartYearOf(DateOnly date)
        {
            if (date.Year <= _year)
            {
                return;
            }

            _year = date.Year;
            _deductibleIndividual = _plan?.IndividualDeductible?.Total;
            _deductibleFamily = _plan?.FamilyDeductible?.Total;
            _outOfPocketIndividual = _plan?.IndividualOutOfPocket?.Total;
            _outOfPocketFamily = _plan?.FamilyOutOfPocket?.Total;
            _visits = (_coverage.InNetwork ?? _coverage.OutOfNetwork)?.VisitLimit?.Total;
        }

        /// <summary>Uses one visit of the yearly limit; false when none is left.</summary>
        public bool TakeVisit()
        {
            if (_visits is not { } visits)
            {
                return true;
            }

            if (visits <= 0)
            {
                return false;
            }

            _visits = visits - 1;
            return true;
        }

        public void Pay(decimal deductible, decimal outOfPocket)
        {
            _deductibleIndividual -= deductible;
            _deductibleFamily -= deductible;
            _outOfPocketIndividual -= outOfPocket;
            _outOfPocketFamily -= outOfPocket;
        }
    }

    private sealed record LineAdjustment(string Group, string Reason, decimal Amount);

    private sealed record AdjudicatedLine(DateOnly Date, decimal Charge, decimal Paid, decimal? Allowed, IReadOnlyList<LineAdjustment> Adjustments)
    {
        public bool IsDenied => Allowed is null;

        public static AdjudicatedLine Denied(DateOnly date, decimal charge, string reason) =>
            new(date, charge, 0m, null, charge == 0m ? [] : [new LineAdjustment("CO", reason, charge)]);
    }

    private sealed record AdjudicatedClaim(SandboxClaimRequest Request, SandboxMember Member, IReadOnlyList<AdjudicatedLine> Lines)
    {
        /// <summary>CLP02: 4 when every line is denied, else 1 (processed as primary).</summary>
        public string Status => Lines.All(l => l.IsDenied) ? "4" : "1";

        public decimal Charge => Lines.Sum(l => l.Charge);

        public decimal Paid => Lines.Sum(l => l.Paid);

        public decimal PatientResponsibility => Lines.Sum(l => l.Adjustments.Where(a => a.Group == "PR").Sum(a => a.Amount));
    }
}
