using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoverageCheck.Service.Pages.Staff;

/// <summary>
/// The admissions work queue, for someone on the phone: who (name and date of birth), which payer, the outcome in words
/// and colour, who started it and when (in <c>Program:TimeZone</c>). Views: today (there), mine, needs action, all;
/// a payer filter and a name search; pages of <see cref="PageSize"/>, newest first. Every line shown is an audited read
/// of that verification. Names are encrypted at rest, so a name search decrypts the newest
/// <see cref="SearchScanLimit"/> verifications of the view and shows only the matches (only those are audited).
/// </summary>
internal sealed class QueueModel(
    VerificationStore store, Features.Authorizations.AuthorizationStore authorizations, Features.Intake.IntakeService intake, PayerDirectory payers, ProgramTime time) : PageModel
{
    public const int PageSize = 25;
    public const int SearchScanLimit = 2_000;

    public static IReadOnlyList<(string Value, string Label)> Views { get; } =
        [("today", "Today"), ("mine", "Mine"), ("action", "Needs action"), ("all", "All")];

    public string View { get; private set; } = "today";

    public string? Payer { get; private set; }

    public string? Search { get; private set; }

    public IReadOnlyList<QueueLine> Lines { get; private set; } = [];

    public IReadOnlyList<QueueLine> OpenEarlier { get; private set; } = [];

    /// <summary>Authorisation reviews due in the next <see cref="DueDays"/> days (overdue too) and authorisations expiring, with the patient.</summary>
    public IReadOnlyList<DueLine> Due { get; private set; } = [];

    public const int DueDays = 3;

    /// <summary>Website requests not yet closed (source <c>website</c>), with how the person wants to be called back.</summary>
    public IReadOnlyList<Features.Intake.IntakeRequestView> WebRequests { get; private set; } = [];

    public string? NextCursor { get; private set; }

    public bool IsContinued { get; private set; }

    public bool SearchCutShort { get; private set; }

    public ProgramTime Time => time;

    public IReadOnlyList<Payer> Payers => [.. payers.All.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)];

    public async Task OnGetAsync(string? view, string? payer, string? q, string? before, CancellationToken cancellationToken)
    {
        View = Views.Any(v => v.Value == view) ? view! : "today";
        Payer = string.IsNullOrWhiteSpace(payer) ? null : payer.Trim();
        Search = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        VerificationCursor.TryParse(before, out var cursor);
        IsContinued = cursor is not null;
        var access = AccessContext.For(User, "staff page: work queue");

        var query = new VerificationQuery
        {
            PayerId = Payer,
            Since = View == "today" ? time.StartOfToday : null,
            CreatedBy = View == "mine" ? User.Identity?.Name ?? "" : null,
            Before = cursor,
        };
        bool Show(QueueLine line) => (View != "action" || line.Outcome.NeedsAction) && Matches(line.Entry, Search);
        var (entries, next) = await store.ListQueueAsync(
            query, entry => Show(Line(entry)), PageSize, Search is null && View != "action" ? PageSize + 1 : SearchScanLimit, access, cancellationToken);
        Lines = [.. entries.Select(Line)];
        NextCursor = next?.ToString();
        SearchCutShort = Search is not null && next is not null && Lines.Count < PageSize;

        if (!IsContinued)
        {
            Due = await DueAsync(access, cancellationToken);
            WebRequests = [.. (await intake.ListAsync(null, access, cancellationToken)).Where(r => r.Callback.Status != Features.Intake.CallbackStatuses.Closed)];
        }

        if (View == "today" && !IsContinued)
        {
            // Work still open from earlier days (queued, being checked, or waiting for a person) stays in sight until someone finishes it.
            var open = new List<QueueEntry>();
            foreach (var status in (string[])[VerificationStatus.Queued, VerificationStatus.InProgress, VerificationStatus.NeedsReview])
            {
                // Keyset from the start of today: today's lines are neither read nor decrypted again.
                var (earlier, _) = await store.ListQueueAsync(
                    query with { Since = null, Status = status, Before = new VerificationCursor(time.StartOfToday, Guid.Empty) },
                    entry => Matches(entry, Search),
                    PageSize,
                    SearchScanLimit,
                    access,
                    cancellationToken);
                open.AddRange(earlier);
            }

            OpenEarlier = [.. open.OrderByDescending(entry => entry.Summary.CreatedAt).Select(Line)];
        }
    }

    public string PayerName(string id) => payers.Find(id)?.Name ?? id;

    // The due lists hold no PHI; the patient's name comes with an audited read of each verification.
    private async Task<IReadOnlyList<DueLine>> DueAsync(AccessContext access, CancellationToken cancellationToken)
    {
        var (reviews, expiring) = await authorizations.DueAsync(time.Today, time.Today.AddDays(DueDays), cancellationToken);
        var lines = new List<DueLine>();
        foreach (var (item, what) in reviews.Select(r => (r, r.ReviewOverdue ? $"Review overdue (was due {Wording.Date(r.NextReviewDate)})" : $"Review due {Wording.Date(r.NextReviewDate)}"))
                     .Concat(expiring.Select(e => (e, $"Authorisation expires {Wording.Date(e.ExpirationDate)}"))))
        {
            var record = await store.GetAsync(item.VerificationId, access, cancellationToken);
            var patient = record is null ? null : VerificationJson.ReadPayload(record.PayloadJson).Patient;
            lines.Add(new DueLine(item.VerificationId, patient is null ? "Unknown patient" : $"{patient.LastName}, {patient.FirstName}", what, $"{item.Days} days, {Wording.Date(item.EffectiveDate)} – {Wording.Date(item.ExpirationDate)} ({item.Status})"));
        }

        return lines;
    }

    private QueueLine Line(QueueEntry entry) => new(entry, QueueOutcome.Of(entry, time));

    private static bool Matches(QueueEntry entry, string? search)
    {
        if (search is null)
        {
            return true;
        }

        if (entry.Payload?.Patient is not { } patient)
        {
            return false;
        }

        var full = patient.FirstName + " " + patient.LastName;
        return full.Contains(search, StringComparison.OrdinalIgnoreCase)
            || (patient.LastName + ", " + patient.FirstName).Contains(search, StringComparison.OrdinalIgnoreCase);
    }
}

/// <summary>An authorisation review due or an authorisation expiring, as the queue shows it.</summary>
internal sealed record DueLine(Guid VerificationId, string Patient, string What, string Authorization);

/// <summary>One line of the queue as shown.</summary>
internal sealed record QueueLine(QueueEntry Entry, QueueOutcome Outcome);
