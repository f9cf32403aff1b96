using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CoverageCheck.Clients;
using CoverageCheck.Service.Features.Consents;
using CoverageCheck.Service.Features.Verifications;
using CsvHelper;
using CsvHelper.Configuration;

namespace CoverageCheck.Service.Features.Batches;

/// <summary>
/// Reads a finance census (the CSV of <c>http-api.md</c>, "Batches") one record at a time, so memory stays flat
/// however long the file is; only the patient references seen so far are kept, to catch duplicates.
/// Every record comes back as a <see cref="CensusRow"/> or a <see cref="CensusRowError"/> with the line it starts on;
/// bad content never throws.
/// </summary>
/// <param name="isKnownPayer">Whether a payer ID is one the program can ask (the payer table).</param>
internal sealed class CensusReader(Func<string, bool> isKnownPayer)
{
    /// <summary>Longest field accepted. A longer one almost always means an unclosed quote swallowing the file.</summary>
    public const int MaxFieldLength = 4096;

    private const int MaxIdLength = 80;
    private const int MaxNameLength = 100;

    // Invalid bytes decode to U+FFFD instead of throwing, so the reader can name the line that holds them and go on.
    // The UTF-8 preamble makes StreamReader skip a byte-order mark.
    private static readonly UTF8Encoding StrictishUtf8 = new(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: false);

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "M/d/yyyy"];

    /// <summary>Reads <paramref name="census"/> (UTF-8, with or without a byte-order mark) to the end.</summary>
    /// <param name="census">The file; it is read forward once and not disposed.</param>
    /// <param name="today">The date the census is checked on: no date of birth may be later.</param>
    /// <param name="cancellationToken">Stops the reading between records.</param>
    public async IAsyncEnumerable<CensusLine> ReadAsync(
        Stream census,
        DateOnly today,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var text = new StreamReader(census, StrictishUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
        var badQuote = false;
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            TrimOptions = TrimOptions.Trim,
            IgnoreBlankLines = true,
            MaxFieldSize = MaxFieldLength,
            BadDataFound = _ => badQuote = true,
        };
        using var parser = new CsvParser(text, configuration);

        Dictionary<string, int>? columns = null;
        var firstLineOf = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            badQuote = false;
            string[]? fields = null;
            string raw = string.Empty;
            var line = 0;
            CensusRowError? unreadable = null;
            try
            {
                if (await parser.ReadAsync())
                {
                    raw = parser.RawRecord;
                    line = StartLine(parser.RawRow, raw);

                    // CsvHelper decodes fields lazily (and reports bad quoting then): take them all now.
                    fields = new string[parser.Count];
                    for (var i = 0; i < fields.Length; i++)
                    {
                        fields[i] = parser[i];
                    }
                }
            }
            catch (CsvHelperException exception)
            {
                var at = Math.Max(parser.RawRow, 1);
                var reason = exception is MaxFieldSizeException
                    ? string.Create(CultureInfo.InvariantCulture, $"A field near line {at} is longer than {MaxFieldLength} characters (usually a quote that is never closed); the rest of the file was not read.")
                    : string.Create(CultureInfo.InvariantCulture, $"The file is not readable as CSV near line {at}; the rest of the file was not read.");
                unreadable = new CensusRowError(at, null, CensusErrorCodes.Unreadable, reason) { IsFileLevel = true };
            }

            if (unreadable is not null)
            {
                yield return unreadable;
                yield break;
            }

            if (fields is null)
            {
                if (columns is null)
                {
                    yield return new CensusRowError(1, null, CensusErrorCodes.EmptyFile, "The file is empty: it needs the header line " + CensusColumns.HeaderLine + ".") { IsFileLevel = true };
                }

                yield break;
            }

            if (columns is null)
            {
                var headerError = ReadHeader(fields, raw, out columns);
                if (headerError is not null)
                {
                    yield return headerError;
                    yield break;
                }

                continue;
            }

            yield return ReadRecord(fields, raw, line, badQuote, columns, firstLineOf, today);
        }
    }

    private CensusLine ReadRecord(
        string[] fields,
        string raw,
        int line,
        bool badQuote,
        Dictionary<string, int> columns,
        Dictionary<string, int> firstLineOf,
        DateOnly today)
    {
        string Field(string column) => columns.TryGetValue(column, out var index) && index < fields.Length ? fields[index] : string.Empty;

        var patientRef = NullIfEmpty(Field(CensusColumns.PatientRef));
        if (patientRef is not null && (patientRef.Length > MaxIdLength || patientRef.Any(char.IsControl) || patientRef.Contains('\uFFFD', StringComparison.Ordinal)))
        {
            patientRef = null;
        }

        // The reference is claimed by the first line that uses it, whatever else is wrong with that line.
        int? duplicateOf = null;
        if (patientRef is not null && !firstLineOf.TryAdd(patientRef, line))
        {
            duplicateOf = firstLineOf[patientRef];
        }

        var invalidByte = raw.IndexOf('\uFFFD', StringComparison.Ordinal);
        if (invalidByte >= 0)
        {
            var badLine = line + CountLineBreaks(raw.AsSpan(0, invalidByte));
            return new CensusRowError(
                badLine,
                patientRef,
                CensusErrorCodes.NotUtf8,
                string.Create(CultureInfo.InvariantCulture, $"Line {badLine} has bytes that are not valid UTF-8; save the census as \"CSV UTF-8\"."));
        }

        if (raw.Contains('\0', StringComparison.Ordinal))
        {
            return new CensusRowError(line, patientRef, CensusErrorCodes.NotUtf8, "The record holds NUL characters: the file looks like UTF-16, not UTF-8; save the census as \"CSV UTF-8\".");
        }

        if (fields.Length != columns.Count)
        {
            return new CensusRowError(
                line,
                patientRef,
                CensusErrorCodes.ColumnCount,
                string.Create(CultureInfo.InvariantCulture, $"Expected {columns.Count} fields, found {fields.Length}; a value with a comma must be in double quotes."));
        }

        if (badQuote)
        {
            return new CensusRowError(line, patientRef, CensusErrorCodes.MalformedCsv, "A double quote appears inside an unquoted field; quote the whole field and double the inner quotes.");
        }

        var problems = new List<(string Code, string Message)>();

        if (duplicateOf is { } first)
        {
            problems.Add((CensusErrorCodes.DuplicatePatientRef, string.Create(CultureInfo.InvariantCulture, $"This patient_ref is already used on line {first}.")));
        }

        if (patientRef is null)
        {
            problems.Add(Field(CensusColumns.PatientRef).Length == 0
                ? (CensusErrorCodes.MissingValue, "patient_ref is missing.")
                : (CensusErrorCodes.InvalidValue, string.Create(CultureInfo.InvariantCulture, $"patient_ref must be at most {MaxIdLength} characters with no line breaks.")));
        }

        var firstName = Name(CensusColumns.FirstName, Field(CensusColumns.FirstName), problems);
        var lastName = Name(CensusColumns.LastName, Field(CensusColumns.LastName), problems);
        var dateOfBirth = Date(CensusColumns.DateOfBirth, Field(CensusColumns.DateOfBirth), problems);
        if (dateOfBirth > today)
        {
            problems.Add((CensusErrorCodes.DateOfBirthInFuture, "date_of_birth is later than today."));
        }

        var payerId = Identifier(CensusColumns.PayerId, Field(CensusColumns.PayerId), problems);
        if (payerId is not null && !isKnownPayer(payerId))
        {
            problems.Add((CensusErrorCodes.UnknownPayer, "payer_id is not in the payer table."));
        }

        var memberId = Identifier(CensusColumns.MemberId, Field(CensusColumns.MemberId), problems);
        var groupNumber = NullIfEmpty(Field(CensusColumns.GroupNumber));
        if (groupNumber is not null && (groupNumber.Length > MaxIdLength || groupNumber.Any(char.IsControl)))
        {
            problems.Add((CensusErrorCodes.InvalidValue, string.Create(CultureInfo.InvariantCulture, $"group_number must be at most {MaxIdLength} characters with no line breaks.")));
        }

        var programStart = Date(CensusColumns.ProgramStart, Field(CensusColumns.ProgramStart), problems);
        var daysPerWeek = WholeNumber(CensusColumns.DaysPerWeek, Field(CensusColumns.DaysPerWeek), 1, 7, problems);
        var weeks = WholeNumber(CensusColumns.Weeks, Field(CensusColumns.Weeks), 1, 52, problems);
        var chargePerDay = Money(CensusColumns.ChargePerDay, Field(CensusColumns.ChargePerDay), problems);
        var consent = Consent(Field, today, problems);
        var (relationship, subscriber) = Dependent(Field, today, problems);

        if (problems.Count > 0)
        {
            return new CensusRowError(line, patientRef, problems[0].Code, string.Join(" ", problems.Select(p => p.Message)));
        }

        return new CensusRow(
            line,
            patientRef!,
            firstName!,
            lastName!,
            dateOfBirth!.Value,
            payerId!,
            memberId!,
            groupNumber,
            programStart!.Value,
            daysPerWeek!.Value,
            weeks!.Value,
            chargePerDay,
            consent!)
        {
            Relationship = relationship,
            Subscriber = subscriber,
        };
    }

    /// <summary>
    /// Whom the row is about on the plan (http-api.md "Dependents"): <c>relationship</c> empty is the subscriber; a
    /// spouse, child or other dependent needs the subscriber's first and last name and date of birth. The subscriber's
    /// details are PHI like the patient's: the reasons name the columns only.
    /// </summary>
    private static (string Relationship, SubscriberInfo? Subscriber) Dependent(
        Func<string, string> field, DateOnly today, List<(string Code, string Message)> problems)
    {
        var relationshipText = field(CensusColumns.Relationship);
        var relationship = Relationships.Parse(relationshipText);
        if (relationship is null && relationshipText.Trim().Length > 0)
        {
            problems.Add((CensusErrorCodes.InvalidValue, "relationship must be self, spouse, child or other (or empty for the subscriber)."));
            return (Relationships.Self, null);
        }

        relationship ??= Relationships.Self;
        var first = field(CensusColumns.SubscriberFirstName);
        var last = field(CensusColumns.SubscriberLastName);
        var born = field(CensusColumns.SubscriberDateOfBirth);
        if (!Relationships.IsDependent(relationship))
        {
            // A subscriber's own row may leave the subscriber columns empty, or repeat the patient: either way they are unused.
            return (relationship, null);
        }

        var count = problems.Count;
        var firstName = Name(CensusColumns.SubscriberFirstName, first, problems);
        var lastName = Name(CensusColumns.SubscriberLastName, last, problems);
        var dateOfBirth = Date(CensusColumns.SubscriberDateOfBirth, born, problems);
        if (dateOfBirth > today)
        {
            problems.Add((CensusErrorCodes.DateOfBirthInFuture, "subscriber_date_of_birth is later than today."));
        }

        for (var i = count; i < problems.Count; i++)
        {
            if (problems[i].Code == CensusErrorCodes.MissingValue)
            {
                problems[i] = (CensusErrorCodes.MissingValue, problems[i].Message.TrimEnd('.') + " (required when relationship is " + relationship + ").");
            }
        }

        return problems.Count > count ? (relationship, null) : (relationship, new SubscriberInfo(firstName!, lastName!, dateOfBirth!.Value));
    }

    /// <summary>
    /// The row's consent (42 CFR Part 2): consent_method and consent_date are required, consent_expires and
    /// consent_given_by optional. A row without a usable, current consent is not sent to any payer.
    /// </summary>
    private static CensusConsent? Consent(Func<string, string> field, DateOnly today, List<(string, string)> problems)
    {
        var method = field(CensusColumns.ConsentMethod);
        var dateText = field(CensusColumns.ConsentDate);
        if (method.Length == 0 || dateText.Length == 0)
        {
            problems.Add((CensusErrorCodes.ConsentMissing,
                "consent_method and consent_date are required: a payer is asked only with the patient's consent on file (42 CFR Part 2); the row was not sent."));
            return null;
        }

        var count = problems.Count;
        var normalizedMethod = method.ToLowerInvariant();
        if (!ConsentMethods.IsKnown(normalizedMethod))
        {
            problems.Add((CensusErrorCodes.InvalidValue, "consent_method must be verbal, written or electronic."));
        }

        var givenByText = field(CensusColumns.ConsentGivenBy).ToLowerInvariant();
        var givenBy = givenByText.Length == 0 ? ConsentGivers.Patient : givenByText;
        if (!ConsentGivers.IsKnown(givenBy))
        {
            problems.Add((CensusErrorCodes.InvalidValue, "consent_given_by must be patient or representative (or empty for the patient)."));
        }

        var date = Date(CensusColumns.ConsentDate, dateText, problems);
        if (date > today)
        {
            problems.Add((CensusErrorCodes.InvalidValue, "consent_date is later than today."));
        }

        DateOnly? expires = null;
        if (field(CensusColumns.ConsentExpires) is { Length: > 0 } expiresText)
        {
            expires = Date(CensusColumns.ConsentExpires, expiresText, problems);
            if (expires < today)
            {
                problems.Add((CensusErrorCodes.ConsentExpired, "consent_expires is before today: the consent has expired; obtain a new one. The row was not sent."));
            }
            else if (expires < date)
            {
                problems.Add((CensusErrorCodes.InvalidValue, "consent_expires is before consent_date."));
            }
        }

        return problems.Count > count ? null : new CensusConsent(normalizedMethod, date!.Value, expires, givenBy);
    }

    private static CensusRowError? ReadHeader(string[] fields, string raw, out Dictionary<string, int>? columns)
    {
        columns = null;
        if (raw.Contains('\uFFFD', StringComparison.Ordinal) || raw.Contains('\0', StringComparison.Ordinal))
        {
            return new CensusRowError(1, null, CensusErrorCodes.NotUtf8, "The file is not UTF-8 text (the header line has bytes that are not valid UTF-8, or it is UTF-16); save the census as \"CSV UTF-8\".") { IsFileLevel = true };
        }

        var found = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var unexpected = new List<string>();
        var repeated = new List<string>();
        for (var i = 0; i < fields.Length; i++)
        {
            var name = fields[i].Trim();
            if (!CensusColumns.All.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                // By position, not by name: a census without its header line has the first patient there.
                unexpected.Add(string.Create(CultureInfo.InvariantCulture, $"{i + 1}"));
            }
            else if (!found.TryAdd(name, i))
            {
                repeated.Add(name);
            }
        }

        var missing = CensusColumns.Required.Where(c => !found.ContainsKey(c)).ToList();
        if (missing.Count == 0 && unexpected.Count == 0 && repeated.Count == 0)
        {
            columns = CensusColumns.All.Where(found.ContainsKey).ToDictionary(c => c, c => found[c], StringComparer.Ordinal);
            return null;
        }

        var reasons = new List<string>();
        if (missing.Count > 0)
        {
            reasons.Add("missing column(s) " + string.Join(", ", missing));
        }

        if (unexpected.Count > 0)
        {
            reasons.Add("unexpected column name(s) in position(s) " + string.Join(", ", unexpected));
        }

        if (repeated.Count > 0)
        {
            reasons.Add("repeated column(s) " + string.Join(", ", repeated));
        }

        return new CensusRowError(
            1,
            null,
            CensusErrorCodes.InvalidHeader,
            "The header line is not the census header (" + string.Join("; ", reasons) + "). Expected: " + CensusColumns.HeaderLine + ".") { IsFileLevel = true };
    }

    private static string? Name(string column, string value, List<(string, string)> problems)
    {
        if (value.Length == 0)
        {
            problems.Add((CensusErrorCodes.MissingValue, column + " is missing."));
            return null;
        }

        // A line break inside a quoted name (Alt+Enter in a spreadsheet) is layout, not data.
        var name = string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            problems.Add((CensusErrorCodes.InvalidValue, string.Create(CultureInfo.InvariantCulture, $"{column} must be at most {MaxNameLength} characters with no control characters.")));
            return null;
        }

        return name;
    }

    private static string? Identifier(string column, string value, List<(string, string)> problems)
    {
        if (value.Length == 0)
        {
            problems.Add((CensusErrorCodes.MissingValue, column + " is missing."));
            return null;
        }

        if (value.Length > MaxIdLength || value.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            problems.Add((CensusErrorCodes.InvalidValue, string.Create(CultureInfo.InvariantCulture, $"{column} must be at most {MaxIdLength} characters with no spaces or line breaks.")));
            return null;
        }

        return value;
    }

    private static DateOnly? Date(string column, string value, List<(string, string)> problems)
    {
        if (value.Length == 0)
        {
            problems.Add((CensusErrorCodes.MissingValue, column + " is missing."));
            return null;
        }

        if (DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        // A census is PHI: the reason names the column (and the error its line), never the value.
        problems.Add((CensusErrorCodes.InvalidDate, $"{column} is not a real calendar date in the form YYYY-MM-DD."));
        return null;
    }

    private static int? WholeNumber(string column, string value, int min, int max, List<(string, string)> problems)
    {
        if (value.Length == 0)
        {
            problems.Add((CensusErrorCodes.MissingValue, column + " is missing."));
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        problems.Add((CensusErrorCodes.InvalidValue, string.Create(CultureInfo.InvariantCulture, $"{column} must be a whole number from {min} to {max}.")));
        return null;
    }

    private static decimal? Money(string column, string value, List<(string, string)> problems)
    {
        if (value.Length == 0)
        {
            return null;
        }

        if (decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount.Scale <= 2)
        {
            return amount;
        }

        problems.Add((CensusErrorCodes.InvalidValue, $"{column} must be a non-negative amount such as 450 or 450.00 (no currency sign, no thousands separator)."));
        return null;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>CsvHelper reports the physical line a record ends on; the record starts that many line breaks earlier.</summary>
    private static int StartLine(int endLine, string rawRecord)
    {
        var body = rawRecord.AsSpan().TrimEnd("\r\n");
        return endLine - CountLineBreaks(body);
    }

    private static int CountLineBreaks(ReadOnlySpan<char> text)
    {
        var breaks = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n')))
            {
                breaks++;
            }
        }

        return breaks;
    }
}
