namespace CoverageCheck.Estimator;

/// <summary>Turns a <see cref="ProgramSchedule"/> into session dates, per the contract's schedule rules.</summary>
internal static class SessionSchedule
{
    // Bit per DayOfWeek (Sunday = bit 0), indexed by daysPerWeek: 1 Mon · 2 Tue, Thu · 3 Mon, Wed, Fri · 4 Mon–Thu ·
    // 5 Mon–Fri · 6 Mon–Sat · 7 every day.
    private static readonly int[] DefaultWeekdays =
    [
        0,
        Bit(DayOfWeek.Monday),
        Bit(DayOfWeek.Tuesday) | Bit(DayOfWeek.Thursday),
        Bit(DayOfWeek.Monday) | Bit(DayOfWeek.Wednesday) | Bit(DayOfWeek.Friday),
        Bit(DayOfWeek.Monday) | Bit(DayOfWeek.Tuesday) | Bit(DayOfWeek.Wednesday) | Bit(DayOfWeek.Thursday),
        0b0111110,
        0b1111110,
        0b1111111,
    ];

    /// <summary>Writes the schedule, sorted, into <paramref name="destination"/> and returns how many sessions it holds.</summary>
    /// <remarks>The request must be valid: at most 366 sessions, a start date, weeks and days per week where needed.</remarks>
    public static int Build(ProgramSchedule program, Span<DateOnly> destination)
    {
        var closed = new ClosedDays(program.ClosedDates);
        if (program.SessionDates is { } explicitDates)
        {
            var count = 0;
            foreach (var date in explicitDates)
            {
                if (!closed.Contains(date))
                {
                    destination[count++] = date;
                }
            }

            destination[..count].Sort();
            return count;
        }

        var weekdays = WeekdayMask(program.SessionWeekdays, program.DaysPerWeek!.Value);
        var total = program.Weeks!.Value * program.DaysPerWeek.Value;
        var day = program.StartDate!.Value;
        var weekday = (int)day.DayOfWeek;
        var written = 0;
        while (written < total)
        {
            if ((weekdays & (1 << weekday)) != 0 && !closed.Contains(day))
            {
                destination[written++] = day;
            }

            day = day.AddDays(1);
            weekday = weekday == 6 ? 0 : weekday + 1;
        }

        return written;
    }

    private static int WeekdayMask(IReadOnlyList<DayOfWeek>? weekdays, int daysPerWeek)
    {
        if (weekdays is null)
        {
            return DefaultWeekdays[daysPerWeek];
        }

        var mask = 0;
        foreach (var day in weekdays)
        {
            mask |= Bit(day);
        }

        return mask;
    }

    private static int Bit(DayOfWeek day) => 1 << (int)day;

    /// <summary>Closed days: a linear scan for a handful, a set beyond that.</summary>
    private readonly struct ClosedDays
    {
        private const int LinearLimit = 16;
        private readonly IReadOnlyList<DateOnly>? _list;
        private readonly HashSet<DateOnly>? _set;

        public ClosedDays(IReadOnlyList<DateOnly>? dates)
        {
            if (dates is { Count: > LinearLimit })
            {
                _set = [.. dates];
            }
            else if (dates is { Count: > 0 })
            {
                _list = dates;
            }
        }

        public bool Contains(DateOnly date)
        {
            if (_set is not null)
            {
                return _set.Contains(date);
            }

            if (_list is not null)
            {
                for (var i = 0; i < _list.Count; i++)
                {
                    if (_list[i] == date)
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
