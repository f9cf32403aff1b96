using System.Text;
using CoverageCheck.Service.Features.Batches;

namespace CoverageCheck.Service.Tests.Batches;

internal sealed class CensusReaderTests
{
    // Line numbers are physical lines: the header is line 1; P-003's quoted last name spans lines 4 and 5; line 13 is blank.
    private static readonly string MixedCensus = string.Join('\n',
        Census.Header,                                                                  // 1
        "P-001,JANE,DOE,1985-04-12,60054,W100000001,GRP1,2026-12-07,5,8,450.00,verbal,2026-11-20",         // 2 valid
        "P-002,\"SMITH, JR\",JOHN,1979-01-30,60054,W100000002,,2026-12-07,3,6,,verbal,2026-11-20",         // 3 valid: quoted comma, no charge
        "P-003,ANA,\"GARCIA",                                                            // 4 valid: record starts here
        "LOPEZ\",1990-06-01,87726,U200000003,,2026-12-14,5,4,300,verbal,2026-11-20",                       // 5
        "P-004,MARK,LEE,1988-03-03,60054,,,2026-12-07,5,8,450,verbal,2026-11-20",                          // 6 missing member ID
        "P-005,AMY,WU,2026-02-30,60054,W100000005,,2026-12-07,5,8,450,verbal,2026-11-20",                  // 7 impossible date
        "P-006,TOM,KIM,2027-01-01,60054,W100000006,,2026-12-07,5,8,450,verbal,2026-11-20",                 // 8 DOB in the future
        "P-007,SARA,PARK,1970-07-07,99999,X100000007,,2026-12-07,5,8,450,verbal,2026-11-20",               // 9 unknown payer
        "P-001,JANE,DOE,1985-04-12,60054,W100000001,GRP1,2026-12-07,5,8,450.00,verbal,2026-11-20",         // 10 duplicate of line 2
        "P-008,TOO,MANY,1980-01-01,60054,W100000008,,2026-12-07,5,8,450,extra,verbal,2026-11-20",          // 11 too many fields
        "P-009,FEW,FIELDS,1980-01-01",                                                   // 12 too few fields
        "",                                                                              // 13 blank: skipped
        "P-010,DAY,ZERO,1980-01-01,60054,W100000010,,2026-12-07,0,8,450,verbal,2026-11-20",                // 14 days_per_week 0
        "P-011,WEEK,LONG,1980-01-01,60054,W100000011,,2026-12-07,5,53,450,verbal,2026-11-20",              // 15 weeks 53
        "P-012,NEG,CHARGE,1980-01-01,60054,W100000012,,2026-12-07,5,8,-5,verbal,2026-11-20",               // 16 negative charge
        "P-013,COMMA,CHARGE,1980-01-01,60054,W100000013,,2026-12-07,5,8,\"1,200\",verbal,2026-11-20",      // 17 thousands separator
        "P-014,BAD,START,1980-01-01,60054,W100000014,,2026-13-01,5,8,450,verbal,2026-11-20",               // 18 impossible program start
        "P-015,,NONAME,1980-01-01,60054,W100000015,,2026-12-07,5,8,450,verbal,2026-11-20",                 // 19 missing first name
        "P-016,AB\"C,QUOTE,1980-01-01,60054,W100000016,,2026-12-07,5,8,450,verbal,2026-11-20",             // 20 stray quote
        "P-017,LAST,LINE,1980-01-01,CMS,1EG4TE5MK73,,2026-12-07,7,52,0,verbal,2026-11-20");                // 21 valid, no final newline

    [Test]
    public async Task Every_record_is_accounted_for_with_its_starting_line()
    {
        var lines = await Census.ReadAsync(MixedCensus);

        Assert.That(lines.Select(l => l.Line), Is.EqualTo(new[] { 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21 }));
        Assert.That(lines.OfType<CensusRow>().Select(r => r.PatientRef), Is.EqualTo(new[] { "P-001", "P-002", "P-003", "P-017" }));
    }

    [TestCase(6, "P-004", CensusErrorCodes.MissingValue, "member_id is missing.")]
    [TestCase(7, "P-005", CensusErrorCodes.InvalidDate, "date_of_birth is not a real calendar date")]
    [TestCase(8, "P-006", CensusErrorCodes.DateOfBirthInFuture, "date_of_birth is later than today.")]
    [TestCase(9, "P-007", CensusErrorCodes.UnknownPayer, "payer_id is not in the payer table.")]
    [TestCase(10, "P-001", CensusErrorCodes.DuplicatePatientRef, "This patient_ref is already used on line 2.")]
    [TestCase(11, "P-008", CensusErrorCodes.ColumnCount, "Expected 13 fields, found 14")]
    [TestCase(12, "P-009", CensusErrorCodes.ColumnCount, "Expected 13 fields, found 4")]
    [TestCase(14, "P-010", CensusErrorCodes.InvalidValue, "days_per_week must be a whole number from 1 to 7.")]
    [TestCase(15, "P-011", CensusErrorCodes.InvalidValue, "weeks must be a whole number from 1 to 52.")]
    [TestCase(16, "P-012", CensusErrorCodes.InvalidValue, "charge_per_day must be a non-negative amount")]
    [TestCase(17, "P-013", CensusErrorCodes.InvalidValue, "charge_per_day must be a non-negative amount")]
    [TestCase(18, "P-014", CensusErrorCodes.InvalidDate, "program_start is not a real calendar date")]
    [TestCase(19, "P-015", CensusErrorCodes.MissingValue, "first_name is missing.")]
    [TestCase(20, "P-016", CensusErrorCodes.MalformedCsv, "double quote appears inside an unquoted field")]
    public async Task A_bad_record_is_reported_with_its_line_and_reason(int line, string patientRef, string code, string reason)
    {
        var lines = await Census.ReadAsync(MixedCensus);

        var error = lines.Single(l => l.Line == line);
        Assert.That(error, Is.TypeOf<CensusRowError>());
        var rowError = (CensusRowError)error;
        Assert.Multiple(() =>
        {
            Assert.That(rowError.PatientRef, Is.EqualTo(patientRef));
            Assert.That(rowError.Code, Is.EqualTo(code));
            Assert.That(rowError.Reason, Does.Contain(reason));
            Assert.That(rowError.IsFileLevel, Is.False);
        });
    }

    [Test]
    public async Task A_valid_record_is_typed()
    {
        var lines = await Census.ReadAsync(MixedCensus);
        var rows = lines.OfType<CensusRow>().ToDictionary(r => r.PatientRef);

        var first = rows["P-001"];
        Assert.Multiple(() =>
        {
            Assert.That(first.Line, Is.EqualTo(2));
            Assert.That(first.FirstName, Is.EqualTo("JANE"));
            Assert.That(first.DateOfBirth, Is.EqualTo(new DateOnly(1985, 4, 12)));
            Assert.That(first.PayerId, Is.EqualTo("60054"));
            Assert.That(first.MemberId, Is.EqualTo("W100000001"));
            Assert.That(first.GroupNumber, Is.EqualTo("GRP1"));
            Assert.That(first.ProgramStart, Is.EqualTo(new DateOnly(2026, 12, 7)));
            Assert.That(first.DaysPerWeek, Is.EqualTo(5));
            Assert.That(first.Weeks, Is.EqualTo(8));
            Assert.That(first.ChargePerDay, Is.EqualTo(450.00m));
            Assert.That(first.ProgramEnd, Is.EqualTo(new DateOnly(2027, 1, 31)));
            Assert.That(rows["P-002"].FirstName, Is.EqualTo("SMITH, JR"));
            Assert.That(rows["P-002"].GroupNumber, Is.Null);
            Assert.That(rows["P-002"].ChargePerDay, Is.Null);
            Assert.That(rows["P-003"].LastName, Is.EqualTo("GARCIA LOPEZ"), "a line break inside a quoted name is layout");
            Assert.That(rows["P-017"].Weeks, Is.EqualTo(52));
            Assert.That(rows["P-017"].ChargePerDay, Is.EqualTo(0m));
        });
    }

    [Test]
    public async Task Windows_line_endings_give_the_same_lines()
    {
        var unix = await Census.ReadAsync(MixedCensus);
        var windows = await Census.ReadAsync(MixedCensus.Replace("\n", "\r\n", StringComparison.Ordinal));

        Assert.That(windows.Select(l => (l.Line, l.GetType())), Is.EqualTo(unix.Select(l => (l.Line, l.GetType()))));
    }

    [Test]
    public async Task A_line_with_bytes_that_are_not_UTF8_is_reported_and_the_others_are_kept()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes(Census.Header + "\n" + Census.Row(1) + "\n"));
        // "JOSÉ" saved as Windows-1252: É is the single byte 0xC9, not valid UTF-8.
        bytes.AddRange(Encoding.UTF8.GetBytes("P-00002,JOS"));
        bytes.Add(0xC9);
        bytes.AddRange(Encoding.UTF8.GetBytes(",TESTER,1980-01-01,60054,W000000002,,2026-12-07,5,8,450,verbal,2026-11-20\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes(Census.Row(3) + "\n"));

        var lines = await Census.ReadAsync([.. bytes]);

        Assert.That(lines, Has.Count.EqualTo(3));
        Assert.That(lines[0], Is.TypeOf<CensusRow>());
        Assert.That(lines[2], Is.TypeOf<CensusRow>());
        var error = (CensusRowError)lines[1];
        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(3));
            Assert.That(error.Code, Is.EqualTo(CensusErrorCodes.NotUtf8));
            Assert.That(error.PatientRef, Is.EqualTo("P-00002"));
            Assert.That(error.Reason, Does.Contain("Line 3 has bytes that are not valid UTF-8"));
            Assert.That(error.IsFileLevel, Is.False);
        });
    }

    [Test]
    public async Task Invalid_bytes_on_the_second_line_of_a_quoted_record_name_that_line()
    {
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes(Census.Header + "\n" + "P-1,ANA,\"GARCIA\nL"));
        bytes.Add(0xF3);
        bytes.AddRange(Encoding.UTF8.GetBytes("PEZ\",1990-06-01,87726,U200000003,,2026-12-14,5,4,300,verbal,2026-11-20\n" + Census.Row(2) + "\n"));

        var lines = await Census.ReadAsync([.. bytes]);

        Assert.That(lines.Select(l => l.Line), Is.EqualTo(new[] { 3, 4 }));
        Assert.That(((CensusRowError)lines[0]).Code, Is.EqualTo(CensusErrorCodes.NotUtf8));
        Assert.That(lines[1], Is.TypeOf<CensusRow>());
    }

    [Test]
    public async Task A_UTF16_file_is_one_file_level_error()
    {
        var text = Census.Header + "\n" + Census.Row(1) + "\n";
        var lines = await Census.ReadAsync([.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)]);

        var error = (CensusRowError)lines.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(1));
            Assert.That(error.Code, Is.EqualTo(CensusErrorCodes.NotUtf8));
            Assert.That(error.IsFileLevel, Is.True);
        });
    }

    [Test]
    public async Task A_UTF8_byte_order_mark_is_accepted()
    {
        var text = Census.Header + "\n" + Census.Row(1) + "\n";
        var lines = await Census.ReadAsync([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);

        Assert.That(lines.Single(), Is.TypeOf<CensusRow>());
    }

    [Test]
    public async Task The_header_may_come_in_any_order_and_case()
    {
        var header = "Consent_Date,WEEKS,Days_Per_Week,charge_per_day,program_start,group_number,member_id,payer_id,date_of_birth,last_name,first_name,patient_ref,CONSENT_METHOD";
        var lines = await Census.ReadAsync(header + "\n2026-11-20,8,5,450,2026-12-07,,W1,60054,1985-04-12,DOE,JANE,P-1,Written\n");

        var row = (CensusRow)lines.Single();
        Assert.Multiple(() =>
        {
            Assert.That(row.PatientRef, Is.EqualTo("P-1"));
            Assert.That(row.Weeks, Is.EqualTo(8));
            Assert.That(row.DaysPerWeek, Is.EqualTo(5));
            Assert.That(row.LastName, Is.EqualTo("DOE"));
        });
    }

    [Test]
    public async Task Missing_and_unexpected_columns_are_one_file_level_error()
    {
        var lines = await Census.ReadAsync("patient_ref,first_name,last_name,date_of_birth,payer_id,memberid,program_start,days_per_week,weeks,charge_per_day\n" + Census.Row(1) + "\n");

        var error = (CensusRowError)lines.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.Line, Is.EqualTo(1));
            Assert.That(error.Code, Is.EqualTo(CensusErrorCodes.InvalidHeader));
            Assert.That(error.IsFileLevel, Is.True);
            Assert.That(error.Reason, Does.Contain("missing column(s) member_id, group_number"));
            Assert.That(error.Reason, Does.Contain("unexpected column name(s) in position(s) 6"));
        });
    }

    [Test]
    public async Task An_empty_file_is_one_file_level_error()
    {
        var lines = await Census.ReadAsync(string.Empty);

        Assert.That(((CensusRowError)lines.Single()).Code, Is.EqualTo(CensusErrorCodes.EmptyFile));
    }

    [Test]
    public async Task A_header_alone_is_an_empty_census()
    {
        var lines = await Census.ReadAsync(Census.Header + "\n");

        Assert.That(lines, Is.Empty);
    }

    [Test]
    public async Task A_quote_that_never_closes_stops_the_reading_after_the_valid_lines()
    {
        var text = new StringBuilder(Census.Header).Append('\n').Append(Census.Row(1)).Append('\n')
            .Append("P-2,\"UNCLOSED,TESTER,1980-01-01,60054,W2,,2026-12-07,5,8,450,verbal,2026-11-20\n");
        for (var i = 3; i < 200; i++)
        {
            text.Append(Census.Row(i)).Append('\n');
        }

        var lines = await Census.ReadAsync(text.ToString());

        Assert.That(lines, Has.Count.EqualTo(2));
        Assert.That(lines[0], Is.TypeOf<CensusRow>());
        var error = (CensusRowError)lines[1];
        Assert.Multiple(() =>
        {
            Assert.That(error.Code, Is.EqualTo(CensusErrorCodes.Unreadable));
            Assert.That(error.IsFileLevel, Is.True);
            Assert.That(error.Reason, Does.Contain("quote that is never closed"));
        });
    }

    [Test]
    public async Task Reasons_never_repeat_a_date_of_birth_or_member_id()
    {
        var lines = await Census.ReadAsync(Census.Header + "\nP-1,ANN,LEE,1985-02-30,60054,W 123,,2026-12-07,5,8,450,verbal,2026-11-20\n");

        var error = (CensusRowError)lines.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.Reason, Does.Contain("date_of_birth is not a real calendar date"));
            Assert.That(error.Reason, Does.Contain("member_id must be at most 80 characters with no spaces"));
            Assert.That(error.Reason, Does.Not.Contain("1985-02-30"));
            Assert.That(error.Reason, Does.Not.Contain("W 123"));
        });
    }

    [Test]
    public async Task A_duplicate_is_found_whatever_the_case_and_even_when_the_first_line_was_bad()
    {
        var lines = await Census.ReadAsync(string.Join('\n', Census.Header, Census.Row(1, "p-7").Replace("60054", "99999", StringComparison.Ordinal), Census.Row(2, "P-7"), Census.Row(3, "P-7")));

        Assert.Multiple(() =>
        {
            Assert.That(((CensusRowError)lines[0]).Code, Is.EqualTo(CensusErrorCodes.UnknownPayer));
            Assert.That(((CensusRowError)lines[1]).Reason, Does.Contain("already used on line 2"));
            Assert.That(((CensusRowError)lines[2]).Reason, Does.Contain("already used on line 2"));
        });
    }

    [Test]
    public async Task A_US_style_date_is_read_as_month_day_year()
    {
        var lines = await Census.ReadAsync(Census.Header + "\nP-1,ANN,LEE,4/12/1985,60054,W1,,12/7/2026,5,8,450,verbal,2026-11-20\n");

        var row = (CensusRow)lines.Single();
        Assert.That(row.DateOfBirth, Is.EqualTo(new DateOnly(1985, 4, 12)));
        Assert.That(row.ProgramStart, Is.EqualTo(new DateOnly(2026, 12, 7)));
    }

    [Test]
    public async Task A_row_becomes_the_verification_request_with_its_patient_ref()
    {
        var row = (CensusRow)(await Census.ReadAsync(Census.Header + "\n" + Census.Row(5))).Single();

        var payload = row.ToVerificationPayload(Census.Today);

        Assert.Multiple(() =>
        {
            Assert.That(payload.PatientRef, Is.EqualTo("P-00005"));
            Assert.That(payload.Insurance.MemberId, Is.EqualTo("W000000005"));
            Assert.That(payload.DateOfService, Is.EqualTo(Census.Today));
            Assert.That(payload.Program, Is.EqualTo(new CoverageCheck.Service.Features.Verifications.ProgramInfo(new DateOnly(2026, 12, 7), 8, 5)));
            Assert.That(payload.Pricing!.ChargePerDay, Is.EqualTo(450.00m));
            Assert.That(row.ToString(), Does.Not.Contain("W000000005").And.Not.Contain("TESTER"));
        });
    }

    [Test]
    public async Task A_census_without_consent_columns_is_read_but_no_row_is_sent()
    {
        var header = string.Join(',', CensusColumns.Required);
        var lines = await Census.ReadAsync(header + "\nP-1,ANN,LEE,1985-02-03,60054,W1,,2026-12-07,5,8,450\nP-2,BO,LEE,1985-02-04,60054,W2,,2026-12-07,5,8,450\n");

        Assert.That(lines.Select(l => (l.Line, (l as CensusRowError)?.Code)), Is.EqualTo(new[] { (2, (string?)CensusErrorCodes.ConsentMissing), (3, CensusErrorCodes.ConsentMissing) }));
        Assert.That(((CensusRowError)lines[0]).Reason, Does.Contain("consent_method and consent_date are required"));
    }

    [TestCase(",verbal,", CensusErrorCodes.ConsentMissing, "consent_method and consent_date are required")]
    [TestCase(",,2026-11-20", CensusErrorCodes.ConsentMissing, "consent_method and consent_date are required")]
    [TestCase(",smoke-signal,2026-11-20", CensusErrorCodes.InvalidValue, "consent_method must be verbal, written or electronic")]
    [TestCase(",verbal,2026-12-25", CensusErrorCodes.InvalidValue, "consent_date is later than today")]
    [TestCase(",verbal,2026-11-20,2026-11-27", CensusErrorCodes.ConsentExpired, "the consent has expired")]
    [TestCase(",verbal,2026-11-20,,guardian", CensusErrorCodes.InvalidValue, "consent_given_by must be patient or representative")]
    public async Task A_row_without_a_usable_current_consent_is_rejected_with_its_reason(string consent, string code, string reason)
    {
        var header = string.Join(',', [.. CensusColumns.Required, .. CensusColumns.Consent]);
        var fields = consent.Split(',').Length - 1;
        var row = "P-1,ANN,LEE,1985-02-03,60054,W1,,2026-12-07,5,8,450" + consent + new string(',', 4 - fields);

        var error = (CensusRowError)(await Census.ReadAsync(header + "\n" + row + "\n")).Single();

        Assert.That((error.Line, error.Code), Is.EqualTo((2, code)));
        Assert.That(error.Reason, Does.Contain(reason));
    }

    [Test]
    public async Task A_row_s_consent_becomes_the_terms_of_its_request()
    {
        var header = string.Join(',', [.. CensusColumns.Required, .. CensusColumns.Consent]);
        var row = (CensusRow)(await Census.ReadAsync(header + "\nP-1,ANN,LEE,1985-02-03,60054,W1,,2026-12-07,5,8,450,Electronic,2026-11-20,,Representative\n")).Single();

        var consent = row.ToVerificationPayload(Census.Today).Consent;

        Assert.Multiple(() =>
        {
            Assert.That(consent.Obtained, Is.True);
            Assert.That(consent.Method, Is.EqualTo("electronic"));
            Assert.That(consent.GivenBy, Is.EqualTo("representative"));
            Assert.That(consent.GivenAt, Is.EqualTo(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero)));
            // 90 days after the program's last day (2027-01-31), to the end of that day.
            Assert.That(consent.ExpiresAt, Is.EqualTo(new DateTimeOffset(2027, 5, 2, 0, 0, 0, TimeSpan.Zero)));
            Assert.That(consent.Id, Is.Null, "recorded at intake, not by the reader");
        });
    }
}
