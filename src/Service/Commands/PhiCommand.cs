using System.CommandLine;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Commands;

/// <summary>
/// <c>phi rekey [--lookup-key-id N]</c>: after a key rotation, encrypts every stored value still under an older key
/// again under the current <c>Phi:Key</c>, so the old key can be removed from <c>Phi:PreviousKeys</c>. With
/// <c>--lookup-key-id</c> it also recomputes every member lookup hash with that key, for moving <c>Phi:LookupKeyId</c>.
/// Safe beside the running service and safe to run again. The procedure: docs/storage-and-security.md.
/// </summary>
internal static class PhiCommand
{
    public const string Name = "phi";

    public static Command Create(CommandContext context)
    {
        var lookup = new Option<int?>("--lookup-key-id")
        {
            Description = "Also recompute every member lookup hash with this key (then set Phi:LookupKeyId to it and run this again).",
        };
        var rekey = new Command("rekey", "Encrypt every stored value still under an older Phi key again under the current Phi:Key.") { lookup };
        rekey.SetAction((parseResult, cancellationToken) => RekeyAsync(context, parseResult.GetValue(lookup), TimeProvider.System, cancellationToken));
        return new Command(Name, "Protected health information keys.") { rekey };
    }

    /// <summary>The command's work, callable from tests.</summary>
    internal static async Task<int> RekeyAsync(CommandContext context, int? lookupKeyId, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (await LoadOptionsAsync(context, cancellationToken) is not { } options)
        {
            return 2;
        }

        var keyIds = options.PreviousKeys.Select(key => key.Id).Append(options.KeyId).ToHashSet();
        if (lookupKeyId is { } target && !keyIds.Contains(target))
        {
            context.Error.WriteLine($"--lookup-key-id {target} is not a configured key (Phi:KeyId or Phi:PreviousKeys:N:Id).");
            return 2;
        }

        var phi = new PhiProtector(Options.Create(options));
        var lookup = lookupKeyId is { } id ? new PhiProtector(Options.Create(WithLookupKey(options, id))) : null;
        if (await context.OpenMigratedDatabaseAsync(cancellationToken) is not { } database)
        {
            return 1;
        }

        var access = new AccessContext($"operator:{Environment.UserName}", Roles.Admin, "PHI key rotation") { ActorKind = ActorKinds.Operator };
        var report = await new PhiRekeying(database, phi, timeProvider).RunAsync(access, lookup, context.Output.WriteLine, cancellationToken);
        context.Output.WriteLine(
            $"Done: {report.Verifications} verifications read, {report.VerificationsRekeyed} encrypted again under key {phi.CurrentKeyId}"
            + (lookup is null ? "" : $", {report.MemberKeysChanged} lookup hashes recomputed with key {lookupKeyId}")
            + $"; {report.PatientRefs} census patient_refs read, {report.PatientRefsRekeyed} encrypted again"
            + $"; {report.GoodFaithEstimates} good faith estimates read, {report.GoodFaithEstimatesRekeyed} encrypted again"
            + $"; {report.ConsentReasons} consent revocation notes read, {report.ConsentReasonsRekeyed} encrypted again"
            + $"; {report.AuthorizationsRekeyed} authorisations encrypted again"
            + (report.ChangedMeanwhile > 0 ? $"; {report.ChangedMeanwhile} changed by the service meanwhile (run again to check them)." : "."));
        return 0;
    }

    /// <summary>
    /// The PHI key settings as the service reads them (configuration, else the Development key file in the data
    /// folder); null, with each problem written to the error output, when they are not usable.
    /// </summary>
    internal static async Task<PhiOptions?> LoadOptionsAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var options = new PhiOptions();
        context.Configuration.GetSection(PhiOptions.SectionName).Bind(options);
        var developmentKey = context.DataDirectory.File(PhiKeyProvisioner.FileName);
        if (string.IsNullOrWhiteSpace(options.Key) && File.Exists(developmentKey))
        {
            options.Key = (await File.ReadAllTextAsync(developmentKey, cancellationToken)).Trim(); // as the service does in Development
        }

        var problems = new PhiOptionsCustomValidator().Validate(null, options);
        if (!problems.Failed)
        {
            return options;
        }

        foreach (var failure in problems.Failures)
        {
            context.Error.WriteLine(failure);
        }

        return null;
    }

    private static PhiOptions WithLookupKey(PhiOptions options, int lookupKeyId)
    {
        var copy = new PhiOptions { Key = options.Key, KeyId = options.KeyId, LookupKeyId = lookupKeyId };
        foreach (var previous in options.PreviousKeys)
        {
            copy.PreviousKeys.Add(previous);
        }

        return copy;
    }
}
