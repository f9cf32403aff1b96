using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace CoverageCheck.Service.Features.Users;

/// <summary>
/// Staff password hashes in ASP.NET Core Identity's version 3 format (<c>0x01 | PRF | iterations | salt length | salt |
/// subkey</c>, base64), so they can move to Identity later, but at OWASP's current PBKDF2 recommendation:
/// PBKDF2-HMAC-SHA256 with <see cref="Iterations"/> iterations (Identity's own hasher would turn SHA-256 back into
/// SHA-512 at 100,000). A hash with other parameters, or Identity's older version 2, still verifies and is reported
/// as needing a rehash, which <see cref="UserStore.SignInAsync"/> does on the next successful sign-in.
/// </summary>
internal static class StaffPasswordHasher
{
    /// <summary>OWASP Password Storage Cheat Sheet: PBKDF2-HMAC-SHA256, 600,000 iterations.</summary>
    public const int Iterations = 600_000;

    private const byte FormatV3 = 0x01;
    private const int SaltSize = 16;
    private const int SubkeySize = 32;
    private const int HeaderSize = 13;

    private static readonly PasswordHasher<StaffUser> s_identity = new();

    public static string Hash(string password)
    {
        Span<byte> output = stackalloc byte[HeaderSize + SaltSize + SubkeySize];
        output[0] = FormatV3;
        BinaryPrimitives.WriteUInt32BigEndian(output[1..], (uint)KeyDerivationPrf.HMACSHA256);
        BinaryPrimitives.WriteUInt32BigEndian(output[5..], Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(output[9..], SaltSize);
        var salt = output.Slice(HeaderSize, SaltSize);
        RandomNumberGenerator.Fill(salt);
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, output[(HeaderSize + SaltSize)..], Iterations, HashAlgorithmName.SHA256);
        return Convert.ToBase64String(output);
    }

    public static PasswordVerificationResult Verify(string hashedPassword, string password)
    {
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(hashedPassword);
        }
        catch (FormatException)
        {
            return PasswordVerificationResult.Failed;
        }

        if (decoded.Length == 0 || decoded[0] != FormatV3)
        {
            // Identity's version 2 (PBKDF2-HMAC-SHA1, 1,000 iterations) or anything else it knows: upgrade on success.
            return s_identity.VerifyHashedPassword(null!, hashedPassword, password) == PasswordVerificationResult.Failed
                ? PasswordVerificationResult.Failed
                : PasswordVerificationResult.SuccessRehashNeeded;
        }

        if (decoded.Length < HeaderSize)
        {
            return PasswordVerificationResult.Failed;
        }

        var prf = (KeyDerivationPrf)BinaryPrimitives.ReadUInt32BigEndian(decoded.AsSpan(1));
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(decoded.AsSpan(5));
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(decoded.AsSpan(9));
        HashAlgorithmName? algorithm = prf switch
        {
            KeyDerivationPrf.HMACSHA1 => HashAlgorithmName.SHA1,
            KeyDerivationPrf.HMACSHA256 => HashAlgorithmName.SHA256,
            KeyDerivationPrf.HMACSHA512 => HashAlgorithmName.SHA512,
            _ => null,
        };
        if (algorithm is null || iterations is 0 or > 10_000_000 || saltLength < 8 || decoded.Length < HeaderSize + saltLength + 16)
        {
            return PasswordVerificationResult.Failed;
        }

        var salt = decoded.AsSpan(HeaderSize, (int)saltLength);
        var expected = decoded.AsSpan(HeaderSize + (int)saltLength);
        Span<byte> actual = stackalloc byte[expected.Length];
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, actual, (int)iterations, algorithm.Value);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordVerificationResult.Failed;
        }

        return prf == KeyDerivationPrf.HMACSHA256 && iterations >= Iterations && expected.Length >= SubkeySize
            ? PasswordVerificationResult.Success
            : PasswordVerificationResult.SuccessRehashNeeded;
    }

    /// <summary>The PRF numbers of Identity's format (Microsoft.AspNetCore.Cryptography.KeyDerivation).</summary>
    private enum KeyDerivationPrf : uint
    {
        HMACSHA1 = 0,
        HMACSHA256 = 1,
        HMACSHA512 = 2,
    }
}
