namespace CoverageCheck.Sandbox;

/// <summary><c>POST /sandbox/remittances</c>: claims in (JSON), the sandbox payer's 835 out (text/plain).</summary>
internal static class SandboxRemittanceApi
{
    /// <summary>Lists the 0-based positions of the claims that were not remitted (no PHI), e.g. <c>1,4</c>.</summary>
    public const string SkippedHeader = "Sandbox-Skipped-Claims";

    public static IResult Issue(SandboxRemittanceRequest request, SandboxState state)
    {
        var defaults = new SandboxRemittanceSettings(request.PaymentDate ?? default);
        var settings = defaults with
        {
            TraceNumber = request.TraceNumber ?? defaults.TraceNumber,
            InterchangeControlNumber = request.InterchangeControlNumber ?? defaults.InterchangeControlNumber,
            AllowedPerDay = request.AllowedPerDay ?? defaults.AllowedPerDay,
            AllowedPerDayByPayer = request.AllowedPerDayByPayer ?? defaults.AllowedPerDayByPayer,
        };
        var errors = SandboxRemittances.Validate(request.Claims, settings);
        if (request.PaymentDate is null)
        {
            errors["paymentDate"] = ["The payment date is required (BPR16 and DTM*405)."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var remittance = SandboxRemittances.Adjudicate(request.Claims!, settings, state);
        var skipped = string.Join(',', remittance.Skipped.Select(s => s.Index));
        if (remittance.Transactions == 0)
        {
            return Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
                detail: $"No claim is for a member this sandbox knows (claims {skipped}), so there is nothing to remit. GET /sandbox/members lists them.");
        }

        var text = Results.Text(remittance.Text, "text/plain", statusCode: StatusCodes.Status200OK);
        return remittance.Skipped.Count == 0 ? text : new HeaderResult(text, SkippedHeader, skipped);
    }

    private sealed class HeaderResult(IResult inner, string name, string value) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers[name] = value;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
