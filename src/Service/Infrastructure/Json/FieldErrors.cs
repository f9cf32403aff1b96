namespace CoverageCheck.Service.Infrastructure.Json;

/// <summary>
/// Validation messages keyed by wire field path (<c>program.weeks</c>, <c>program.sessionDates[2]</c>), in the shape
/// of <c>ValidationProblem</c>'s <c>errors</c>. Messages name what is wrong, never the value that was sent.
/// </summary>
internal sealed class FieldErrors
{
    /// <summary>Field path for problems with the body as a whole.</summary>
    public const string BodyField = "body";

    private readonly Dictionary<string, List<string>> _byField = new(StringComparer.Ordinal);

    public bool IsEmpty => _byField.Count == 0;

    public void Add(string field, string message)
    {
        if (!_byField.TryGetValue(field, out var messages))
        {
            messages = [];
            _byField.Add(field, messages);
        }

        if (!messages.Contains(message))
        {
            messages.Add(message);
        }
    }

    public bool Has(string field) => _byField.ContainsKey(field);

    /// <summary>
    /// Adds a feature's rule errors, except under a field that already failed to read (a date that could not be read
    /// is not also "required"), and none when the body itself was unreadable.
    /// </summary>
    public void AddRuleErrors(IEnumerable<KeyValuePair<string, string[]>> errors)
    {
        if (Has(BodyField))
        {
            return; // nothing was read, so nothing else is worth saying
        }

        foreach (var (field, messages) in errors)
        {
            if (_byField.Keys.Any(bad => Related(field, bad)))
            {
                continue;
            }

            foreach (var message in messages)
            {
                Add(field, message);
            }
        }
    }

    /// <inheritdoc cref="AddRuleErrors(IEnumerable{KeyValuePair{string, string[]}})"/>
    public void AddRuleErrors(FieldErrors rules) => AddRuleErrors(rules.ToDictionary());

    public Dictionary<string, string[]> ToDictionary() =>
        _byField.ToDictionary(pair => pair.Key, pair => pair.Value.ToArray(), StringComparer.Ordinal);

    private static bool Related(string field, string bad) =>
        field == bad
        || field.StartsWith(bad + ".", StringComparison.Ordinal) || field.StartsWith(bad + "[", StringComparison.Ordinal)
        || bad.StartsWith(field + ".", StringComparison.Ordinal) || bad.StartsWith(field + "[", StringComparison.Ordinal);
}
