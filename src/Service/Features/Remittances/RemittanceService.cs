using System.Text;
using CoverageCheck.Clients.Remittances;
using CoverageCheck.Clients.X12;
using CoverageCheck.Service.Security;

namespace CoverageCheck.Service.Features.Remittances;

/// <summary>What became of an uploaded 835.</summary>
/// <param name="Remittance">The remittance as stored (the first one, for a file sent again); null when unreadable.</param>
/// <param name="Created">False when the same file had been uploaded before: nothing new was stored or counted.</param>
/// <param name="Errors">Why the file could not be read, naming the segment and position.</param>
internal sealed record RemittanceUpload(RemittanceResponse? Remittance, bool Created, IReadOnlyList<string> Errors);

/// <summary>
/// Finance's remittances (issue #19): reads an 835 with the project's own reader, recognises a file sent again by
/// the keyed hash of its bytes, matches each claim to a verification, and stores it all encrypted and audited.
/// </summary>
internal sealed class RemittanceService(RemittanceStore store, RemittanceMatcher matcher, TimeProvider timeProvider)
{
    public async Task<RemittanceUpload> UploadAsync(string text, AccessContext access, CancellationToken cancellationToken)
    {
        var fileKey = store.FileKey(Encoding.UTF8.GetBytes(text.Trim()));
        if (await store.FindByFileKeyAsync(fileKey, cancellationToken) is { } earlier)
        {
            return new RemittanceUpload(await store.GetAsync(earlier, access, cancellationToken), Created: false, []);
        }

        var read = X835Reader.Read(text);
        if (!read.IsReadable)
        {
            return new RemittanceUpload(null, Created: false,
                [.. read.Issues.Where(issue => issue.Severity == X12IssueSeverity.Error).Select(issue => issue.ToString()).DefaultIfEmpty("the file holds no 835 transaction")]);
        }

        var id = Guid.CreateVersion7(timeProvider.GetUtcNow());
        var transactions = new List<RemittanceTransactionDto>();
        var claims = new List<RemittanceClaimDto>();
        foreach (var transaction in read.Transactions)
        {
            var payerId = RemittanceMapping.PayerIdOf(transaction);
            var inTransaction = new List<RemittanceClaimDto>();
            foreach (var claim in transaction.Claims)
            {
                var dto = claim.ToDto(payerId);
                if (await matcher.MatchAsync(claim, dto, transaction.Payer.Id, transaction.Payer.AdditionalId, access, cancellationToken) is { } match)
                {
                    dto = dto with { VerificationId = match.VerificationId, MatchedBy = match.MatchedBy };
                }

                inTransaction.Add(dto);
            }

            claims.AddRange(inTransaction);
            transactions.Add(transaction.ToDto(inTransaction));
        }

        var remittance = new RemittanceResponse(
            id,
            timeProvider.GetUtcNow(),
            transactions,
            claims,
            [.. claims.Where(c => c.VerificationId is null).Select(c => c.PatientControlNumber)],
            RemittanceMapping.Warnings(read.Issues));
        var (storedId, created) = await store.InsertAsync(remittance, fileKey, access, cancellationToken);
        return created
            ? new RemittanceUpload(remittance, Created: true, [])
            : new RemittanceUpload(await store.GetAsync(storedId, access, cancellationToken), Created: false, []);
    }
}
