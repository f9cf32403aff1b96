using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Security;

/// <summary>
/// Keys for protected health information at rest (<c>Phi</c> section). <c>Phi:Key</c> is the base64 of 32 random bytes.
/// Rotation: move the old key to <c>Phi:PreviousKeys:N</c> (with its <c>Id</c>), set a new <c>Phi:Key</c> with a new
/// <c>Phi:KeyId</c>; old rows still decrypt, new rows use the new key.
/// </summary>
internal sealed class PhiOptions
{
    public const string SectionName = "Phi";
    public const int KeySizeBytes = 32;

    /// <summary>Base64 of the 32-byte AES-256 key that encrypts new records.</summary>
    public string? Key { get; set; }

    /// <summary>Written into each ciphertext so the right key is found after rotation.</summary>
    [Range(1, 255)]
    public int KeyId { get; set; } = 1;

    /// <summary>Retired keys, kept so existing records still decrypt.</summary>
    [ValidateEnumeratedItems]
    public IList<PhiPreviousKey> PreviousKeys { get; } = [];

    /// <summary>
    /// The id of the key (current or previous) from which the member-lookup hash key is derived. It must stay the same
    /// across a rotation until every row's member_key has been recomputed; default: <see cref="KeyId"/>.
    /// </summary>
    [Range(1, 255)]
    public int? LookupKeyId { get; set; }
}

internal sealed class PhiPreviousKey
{
    [Range(1, 255)]
    public int Id { get; set; }

    [Required]
    public string Key { get; set; } = "";
}

[OptionsValidator]
internal sealed partial class PhiOptionsValidator : IValidateOptions<PhiOptions>;

internal sealed class PhiOptionsCustomValidator : IValidateOptions<PhiOptions>
{
    public ValidateOptionsResult Validate(string? name, PhiOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Key))
        {
            failures.Add("Phi:Key is not set: outside Development the service needs the base64 of a 32-byte key to encrypt health information (generate one with `openssl rand -base64 32`).");
        }
        else if (!IsValidKey(options.Key))
        {
            failures.Add("Phi:Key must be the base64 encoding of exactly 32 bytes.");
        }

        var ids = new HashSet<int> { options.KeyId };
        for (var i = 0; i < options.PreviousKeys.Count; i++)
        {
            var previous = options.PreviousKeys[i];
            if (!IsValidKey(previous.Key))
            {
                failures.Add($"Phi:PreviousKeys:{i}:Key must be the base64 encoding of exactly 32 bytes.");
            }

            if (!ids.Add(previous.Id))
            {
                failures.Add($"Phi:PreviousKeys:{i}:Id {previous.Id} is used by another key; each key needs its own id.");
            }
        }

        if (options.LookupKeyId is { } lookup && !ids.Contains(lookup))
        {
            failures.Add($"Phi:LookupKeyId {lookup} names no configured key.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static bool IsValidKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[64];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var written) && written == PhiOptions.KeySizeBytes;
    }
}
