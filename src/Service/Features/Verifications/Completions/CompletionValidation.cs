using CoverageCheck.Service.Infrastructure.Json;

namespace CoverageCheck.Service.Features.Verifications.Completions;

/// <summary>
/// The rules of a completion, field by field: a source (<c>phone</c> or <c>portal</c>); for a call, the
/// representative and the reference number; at least one benefit field, a carve-out or a note; amounts that are
/// money (non-negative, cents), a coinsurance from 0 to 100, what remains not above the total. Errors name the field,
/// never its value.
/// </summary>
internal static class CompletionValidation
{
    private const decimal MaxAmount = 1_000_000m;

    public static Completion? Validate(CompletionRequest request, string enteredBy, DateTimeOffset now, FieldErrors errors)
    {
        var source = request.Source?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(source))
        {
            errors.Add("source", "This field is required: phone or portal.");
        }
        else if (source is not (CompletionSources.Phone or CompletionSources.Portal))
        {
            errors.Add("source", "One of phone, portal.");
        }

        var call = request.Call;
        if (call is null)
        {
            errors.Add("call", "This field is required: when the call (or portal visit) was, the representative and the reference number.");
        }
        else
        {
            if (call.At is { } at && at > now.AddMinutes(5))
            {
                errors.Add("call.at", "Must not be in the future.");
            }

            if (source == CompletionSources.Phone)
            {
                Text(call.Representative, "call.representative", 100, required: true, errors);
                Text(call.Reference, "call.reference", 60, required: true, errors);
            }
            else
            {
                Text(call.Representative, "call.representative", 100, required: false, errors);
                Text(call.Reference, "call.reference", 60, required: false, errors);
            }
        }

        var given = Tier(request.InNetwork, "inNetwork", errors) | Tier(request.OutOfNetwork, "outOfNetwork", errors);
        if (request.CarveOut is { } carveOut)
        {
            Text(carveOut.Name, "carveOut.name", 120, required: true, errors);
            Text(carveOut.Phone, "carveOut.phone", 40, required: false, errors);
            given = true;
        }

        if (Text(request.Notes, "notes", 2_000, required: false, errors, lineBreaks: true))
        {
            given = true;
        }

        if (!given && !errors.Has("inNetwork") && !errors.Has("outOfNetwork"))
        {
            errors.Add("inNetwork", "Give at least one benefit field (in or out of network), a carve-out, or a note.");
        }

        if (!errors.IsEmpty || call is null)
        {
            return null;
        }

        return new Completion
        {
            Id = Guid.CreateVersion7(now),
            EnteredAt = now,
            EnteredBy = enteredBy,
            Source = source!,
            Call = new CompletionCallDto(call.At ?? now, Trimmed(call.Representative), Trimmed(call.Reference)),
            InNetwork = request.InNetwork,
            OutOfNetwork = request.OutOfNetwork,
            CarveOut = request.CarveOut is { } c ? new CompletionCarveOutDto(c.Name!.Trim(), Trimmed(c.Phone)) : null,
            Notes = Trimmed(request.Notes),
        };
    }

    /// <returns>True when the tier gives at least one field.</returns>
    private static bool Tier(CompletionTierDto? tier, string path, FieldErrors errors)
    {
        if (tier is null)
        {
            return false;
        }

        var given = false;
        given |= Level(tier.Deductible, path + ".deductible", errors);
        given |= Level(tier.OutOfPocketMax, path + ".outOfPocketMax", errors);
        given |= Money(tier.CopayPerDay, path + ".copayPerDay", errors);
        if (tier.CoinsurancePercent is { } percent)
        {
            given = true;
            if (percent is < 0 or > 100 || decimal.Round(percent, 2) != percent)
            {
                errors.Add(path + ".coinsurancePercent", "Must be a percentage from 0 to 100 (20 for 20 %).");
            }
        }

        given |= tier.PriorAuthorizationRequired is not null || tier.DeductibleAppliesToService is not null;
        given |= Text(tier.PriorAuthorizationPhone, path + ".priorAuthorizationPhone", 40, required: false, errors);
        if (tier.VisitLimit is { } limit)
        {
            given = true;
            if (limit.Total is not { } total || total is < 0 or > 1_000)
            {
                errors.Add(path + ".visitLimit.total", "Give the number of days (visits) allowed a year, 0 to 1,000.");
            }
            else
            {
                if (limit.Remaining is { } remaining && (remaining < 0 || remaining > total))
                {
                    errors.Add(path + ".visitLimit.remaining", "Must be from 0 to the total.");
                }

                if (limit.Used is { } used && (used < 0 || used > total))
                {
                    errors.Add(path + ".visitLimit.used", "Must be from 0 to the total.");
                }

                if (limit is { Remaining: { } r, Used: { } u } && r + u != total)
                {
                    errors.Add(path + ".visitLimit.used", "Days used and days remaining must add up to the total; give one of them.");
                }
            }
        }

        return given;
    }

    private static bool Level(CompletionLevelDto? level, string path, FieldErrors errors) =>
        level is not null && (Amounts(level.Individual, path + ".individual", errors) | Amounts(level.Family, path + ".family", errors));

    private static bool Amounts(CompletionAmountsDto? amounts, string path, FieldErrors errors)
    {
        if (amounts is null)
        {
            return false;
        }

        var given = Money(amounts.Total, path + ".total", errors) | Money(amounts.Remaining, path + ".remaining", errors) | Money(amounts.Met, path + ".met", errors);
        if (amounts is { Total: { } total, Remaining: { } remaining } && remaining > total)
        {
            errors.Add(path + ".remaining", "Must not be more than the total.");
        }

        if (amounts is { Total: { } t, Met: { } met } && met > t)
        {
            errors.Add(path + ".met", "Must not be more than the total.");
        }

        if (amounts is { Total: { } all, Remaining: { } left, Met: { } paid } && left + paid != all)
        {
            errors.Add(path + ".met", "Met and remaining must add up to the total; give two of the three.");
        }

        return given;
    }

    private static bool Money(decimal? amount, string path, FieldErrors errors)
    {
        if (amount is not { } value)
        {
            return false;
        }

        if (value < 0 || value > MaxAmount || decimal.Round(value, 2) != value)
        {
            errors.Add(path, "Must be an amount in dollars and cents from 0 to 1,000,000.");
        }

        return true;
    }

    /// <returns>True when a value was given.</returns>
    private static bool Text(string? text, string path, int max, bool required, FieldErrors errors, bool lineBreaks = false)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(path, "This field is required.");
            }

            return false;
        }

        if (text.Trim().Length > max || text.Any(ch => char.IsControl(ch) && !(lineBreaks && ch is '\n' or '\r' or '\t')))
        {
            errors.Add(path, lineBreaks ? $"Must be at most {max} characters." : $"Must be at most {max} characters on one line.");
        }

        return true;
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
