using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Security;

/// <summary>The ciphertext could not be authenticated: wrong key, wrong record or column, or tampering.</summary>
internal sealed class PhiDecryptionException(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// Encrypts protected health information with AES-256-GCM and hashes member IDs for lookup.
/// Ciphertext layout: <c>[format][key id][nonce 12][tag 16][ciphertext]</c>. The associated data binds it to the
/// header, the record id and the column, so a value copied to another row or column fails to decrypt. Format 0x01:
/// the ciphertext is the value's bytes. Format 0x02 (text of <see cref="CompressAtLeast"/> bytes or more, such as a
/// verification's result with the payer's raw answer, ~17 KB of JSON): the bytes are Brotli-compressed first, about a
/// sixth of the size, so each result is written, journalled and checkpointed as one or two database pages instead of
/// five. The format byte is authenticated with the rest, and both formats are read. (Compressing before encrypting
/// lets a value's length depend on its content; the length of a stored value is not secret here, since it is only
/// seen by whoever already reads the database file, and no outsider's input is mixed with a secret in one value.)
/// </summary>
internal sealed class PhiProtector
{
    private const byte FormatVersion = 1;
    private const byte CompressedFormatVersion = 2;

    /// <summary>Text of this many UTF-8 bytes or more is compressed before it is encrypted (format 0x02).</summary>
    internal const int CompressAtLeast = 1024;

    // Brotli's fastest quality: about a sixth of the size for JSON, at several hundred MB/s.
    private const int CompressionQuality = 1;
    private const int CompressionWindow = 22;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 2;

    private static readonly byte[] s_lookupKeyInfo = "CoverageCheck member lookup v1"u8.ToArray();

    private readonly byte _currentKeyId;
    private readonly Dictionary<byte, byte[]> _keys = [];
    private readonly byte[] _lookupKey;

    public PhiProtector(IOptions<PhiOptions> options)
    {
        var value = options.Value;
        _currentKeyId = checked((byte)value.KeyId);
        _keys[_currentKeyId] = Convert.FromBase64String(value.Key!.Trim());
        foreach (var previous in value.PreviousKeys)
        {
            _keys[checked((byte)previous.Id)] = Convert.FromBase64String(previous.Key.Trim());
        }

        var lookupSource = _keys[checked((byte)(value.LookupKeyId ?? value.KeyId))];
        _lookupKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, lookupSource, 32, salt: [], info: s_lookupKeyInfo);
    }

    /// <summary>The id of the key new values are encrypted with (<c>Phi:KeyId</c>).</summary>
    public int CurrentKeyId => _currentKeyId;

    /// <summary>Whether <paramref name="protectedValue"/> was encrypted with a key other than the current one.</summary>
    public bool IsUnderOlderKey(ReadOnlySpan<byte> protectedValue) =>
        protectedValue.Length >= HeaderSize && protectedValue[0] is FormatVersion or CompressedFormatVersion && protectedValue[1] != _currentKeyId;

    /// <summary>Encrypts <paramref name="plaintext"/> for one column of one record.</summary>
    public byte[] Protect(string plaintext, Guid recordId, string column)
    {
        var plainBytes = Encoding.UTF8.GetBytes(plaintext);
        byte[]? compressed = null;
        try
        {
            if (plainBytes.Length >= CompressAtLeast)
            {
                compressed = new byte[BrotliEncoder.GetMaxCompressedLength(plainBytes.Length)];
                if (BrotliEncoder.TryCompress(plainBytes, compressed, out var written, CompressionQuality, CompressionWindow) && written < plainBytes.Length)
                {
                    return Encrypt(CompressedFormatVersion, compressed.AsSpan(0, written), recordId, column);
                }
            }

            return Encrypt(FormatVersion, plainBytes, recordId, column);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plainBytes);
            if (compressed is not null)
            {
                CryptographicOperations.ZeroMemory(compressed);
            }
        }
    }

    /// <summary>Encrypts binary <paramref name="plaintext"/> (a document) for one column of one record.</summary>
    public byte[] ProtectBytes(ReadOnlySpan<byte> plaintext, Guid recordId, string column) => Encrypt(FormatVersion, plaintext, recordId, column);

    private byte[] Encrypt(byte format, ReadOnlySpan<byte> plaintext, Guid recordId, string column)
    {
        var output = new byte[HeaderSize + NonceSize + TagSize + plaintext.Length];
        output[0] = format;
        output[1] = _currentKeyId;
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var tag = output.AsSpan(HeaderSize + NonceSize, TagSize);
        var cipher = output.AsSpan(HeaderSize + NonceSize + TagSize);

        using var aes = new AesGcm(_keys[_currentKeyId], TagSize);
        aes.Encrypt(nonce, plaintext, cipher, tag, AssociatedData(output.AsSpan(0, HeaderSize), recordId, column));
        return output;
    }

    /// <summary>Decrypts a value written by <see cref="Protect"/> for the same record and column.</summary>
    /// <exception cref="PhiDecryptionException">The value is not authentic for this record, column and key set.</exception>
    public string Unprotect(byte[] protectedValue, Guid recordId, string column)
    {
        var plainBytes = Decrypt(protectedValue, recordId, column, allowCompressed: true);
        try
        {
            return protectedValue[0] == CompressedFormatVersion ? Decompress(plainBytes, recordId, column) : Encoding.UTF8.GetString(plainBytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plainBytes);
        }
    }

    private static string Decompress(byte[] compressed, Guid recordId, string column)
    {
        using var input = new MemoryStream(compressed, writable: false);
        using var brotli = new BrotliStream(input, CompressionMode.Decompress);
        using var text = new StreamReader(brotli, Encoding.UTF8);
        try
        {
            return text.ReadToEnd();
        }
        catch (InvalidDataException ex)
        {
            // Authenticated, so written by us: only a bug could get here.
            throw new PhiDecryptionException($"The {column} value of record {recordId} could not be decompressed.", ex);
        }
    }

    /// <summary>Decrypts a value written by <see cref="ProtectBytes"/> (or <see cref="Protect"/>) for the same record and column.</summary>
    /// <exception cref="PhiDecryptionException">The value is not authentic for this record, column and key set.</exception>
    public byte[] UnprotectBytes(byte[] protectedValue, Guid recordId, string column) => Decrypt(protectedValue, recordId, column, allowCompressed: false);

    private byte[] Decrypt(byte[] protectedValue, Guid recordId, string column, bool allowCompressed)
    {
        if (protectedValue.Length < HeaderSize + NonceSize + TagSize
            || !(protectedValue[0] == FormatVersion || (allowCompressed && protectedValue[0] == CompressedFormatVersion)))
        {
            throw new PhiDecryptionException($"The {column} value of record {recordId} is not in a known encrypted format.");
        }

        if (!_keys.TryGetValue(protectedValue[1], out var key))
        {
            throw new PhiDecryptionException(
                $"The {column} value of record {recordId} was encrypted with key id {protectedValue[1]}, which is not configured (Phi:KeyId / Phi:PreviousKeys).");
        }

        var input = protectedValue.AsSpan();
        var plainBytes = new byte[input.Length - HeaderSize - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(
                input.Slice(HeaderSize, NonceSize),
                input[(HeaderSize + NonceSize + TagSize)..],
                input.Slice(HeaderSize + NonceSize, TagSize),
                plainBytes,
                AssociatedData(input[..HeaderSize], recordId, column));
            return plainBytes;
        }
        catch (AuthenticationTagMismatchException ex)
        {
            CryptographicOperations.ZeroMemory(plainBytes);
            throw new PhiDecryptionException(
                $"The {column} value of record {recordId} failed authentication: wrong key, moved between records, or altered.", ex);
        }
    }

    /// <summary>
    /// A keyed hash (HMAC-SHA256, lowercase hex) that finds a member's verifications without storing the member ID:
    /// payer ID and member ID are trimmed and upper-cased so "w123 " and "W123" match.
    /// </summary>
    public string MemberKey(string payerId, string memberId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(payerId);
        ArgumentException.ThrowIfNullOrWhiteSpace(memberId);
        return KeyedHash($"{payerId.Trim().ToUpperInvariant()}\u001f{memberId.Trim().ToUpperInvariant()}");
    }

    /// <summary>
    /// A keyed hash (HMAC-SHA256, lowercase hex) of the patient control number the program bills with (a census
    /// <c>patient_ref</c> or a verification's <c>patientRef</c>; CLP01 on the payer's 835), so a remittance finds its
    /// verification without the reference stored in plain (<c>verification_patient_refs.patient_ref_key</c>). Trimmed and
    /// upper-cased, and kept apart from <see cref="MemberKey"/> by its own prefix.
    /// </summary>
    public string PatientRefKey(string patientRef) => LookupKey("patient-ref", patientRef);

    /// <summary>A keyed hash of a whole uploaded file (a remittance), to recognise the same file sent twice.</summary>
    public string ContentKey(string purpose, ReadOnlySpan<byte> content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _lookupKey);
        hmac.AppendData(Encoding.UTF8.GetBytes(purpose + "\u001f"));
        hmac.AppendData(content);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    private string LookupKey(string purpose, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return KeyedHash($"{purpose}\u001f{value.Trim().ToUpperInvariant()}");
    }

    /// <summary>HMAC-SHA256 of the normalised text under the lookup key, lowercase hex; the bytes are wiped after.</summary>
    private string KeyedHash(string text)
    {
        var normalized = Encoding.UTF8.GetBytes(text);
        try
        {
            return Convert.ToHexStringLower(HMACSHA256.HashData(_lookupKey, normalized));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(normalized);
        }
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, Guid recordId, string column)
    {
        var columnBytes = Encoding.UTF8.GetByteCount(column);
        var data = new byte[header.Length + 16 + columnBytes];
        header.CopyTo(data);
        recordId.TryWriteBytes(data.AsSpan(header.Length, 16));
        Encoding.UTF8.GetBytes(column, data.AsSpan(header.Length + 16));
        return data;
    }
}
