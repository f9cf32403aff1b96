using System.Security.Cryptography;
using CoverageCheck.Service.Security;
using CoverageCheck.Service.Tests.Data;

namespace CoverageCheck.Service.Tests.Security;

internal sealed class PhiProtectorTests
{
    private const string Column = "verifications.payload_cipher";
    private static readonly string s_otherKey = Convert.ToBase64String(Enumerable.Range(100, 32).Select(i => (byte)i).ToArray());
    private readonly PhiProtector _phi = TestDatabase.CreateProtector(TestHostSettings.PhiKey);
    private readonly Guid _record = Guid.Parse("0192f0c5-8a4e-7b1d-9c3e-5f6a7b8c9d0e");

    [Test]
    public void Protected_text_round_trips()
    {
        var payload = TestPatients.Jane.PayloadJson;

        var cipher = _phi.Protect(payload, _record, Column);

        Assert.That(_phi.Unprotect(cipher, _record, Column), Is.EqualTo(payload));
        Assert.That(cipher.Length, Is.EqualTo(2 + 12 + 16 + System.Text.Encoding.UTF8.GetByteCount(payload)));
        Assert.That((cipher[0], cipher[1]), Is.EqualTo(((byte)1, (byte)1)), "format version and key id");
    }

    [Test(Description = "Issue 19: a verification's result (~17 KB with the payer's raw answer) is compressed before it is encrypted")]
    public void Long_text_is_compressed_then_encrypted_and_reads_back_the_same()
    {
        var benefits = string.Join(",", Enumerable.Range(0, 120).Select(i =>
            $$"""{"code":"{{i % 7}}","serviceTypeCodes":["AI","MH"],"coverageLevel":"IND","inPlanNetwork":"Y","benefitAmount":"{{i * 5}}.00"}"""));
        var result = $$"""{"memberId":"W98X76Y54Z","benefits":[{{benefits}}]}""";
        var utf8Length = System.Text.Encoding.UTF8.GetByteCount(result);

        var cipher = _phi.Protect(result, _record, "verifications.result_cipher");

        Assert.That(_phi.Unprotect(cipher, _record, "verifications.result_cipher"), Is.EqualTo(result));
        Assert.That((cipher[0], cipher[1]), Is.EqualTo(((byte)2, (byte)1)), "compressed format, key id");
        Assert.That(cipher.Length, Is.LessThan(utf8Length / 4), $"{cipher.Length} bytes stored for {utf8Length} bytes of JSON");
        Assert.That(_phi.IsUnderOlderKey(cipher), Is.False);
        Assert.Throws<PhiDecryptionException>(() => _phi.UnprotectBytes(cipher, _record, "verifications.result_cipher"), "a document read never inflates");

        // The format byte is authenticated: calling compressed text uncompressed (or the reverse) fails.
        var relabelled = (byte[])cipher.Clone();
        relabelled[0] = 1;
        Assert.Throws<PhiDecryptionException>(() => _phi.Unprotect(relabelled, _record, "verifications.result_cipher"));
    }

    [Test]
    public void Values_stored_before_compression_still_read()
    {
        var text = new string('x', PhiProtector.CompressAtLeast * 4);

        // What Protect wrote before format 2: the text's bytes, format 1.
        var old = _phi.ProtectBytes(System.Text.Encoding.UTF8.GetBytes(text), _record, Column);

        Assert.That(old[0], Is.EqualTo((byte)1));
        Assert.That(_phi.Unprotect(old, _record, Column), Is.EqualTo(text));
        Assert.That(_phi.Protect("short", _record, Column)[0], Is.EqualTo((byte)1), "short values are not compressed");
    }

    [Test]
    public void Each_encryption_uses_a_fresh_nonce()
    {
        var first = _phi.Protect("W98X76Y54Z", _record, Column);
        var second = _phi.Protect("W98X76Y54Z", _record, Column);

        Assert.That(first, Is.Not.EqualTo(second));
        Assert.That(first.AsSpan(2, 12).ToArray(), Is.Not.EqualTo(second.AsSpan(2, 12).ToArray()));
    }

    [Test]
    public void Flipping_any_single_bit_is_detected()
    {
        var cipher = _phi.Protect("{\"memberId\":\"W98X76Y54Z\"}", _record, Column);

        for (var i = 0; i < cipher.Length; i++)
        {
            var tampered = (byte[])cipher.Clone();
            tampered[i] ^= 0x01;
            Assert.Throws<PhiDecryptionException>(() => _phi.Unprotect(tampered, _record, Column), $"byte {i}");
        }
    }

    [Test]
    public void A_value_moved_to_another_record_or_column_does_not_decrypt()
    {
        var cipher = _phi.Protect("W98X76Y54Z", _record, Column);

        Assert.Throws<PhiDecryptionException>(() => _phi.Unprotect(cipher, Guid.NewGuid(), Column));
        Assert.Throws<PhiDecryptionException>(() => _phi.Unprotect(cipher, _record, "verifications.result_cipher"));
    }

    [Test]
    public void The_wrong_key_fails_authentication()
    {
        var cipher = _phi.Protect("W98X76Y54Z", _record, Column);
        var otherKeySameId = TestDatabase.CreateProtector(s_otherKey);

        var failure = Assert.Throws<PhiDecryptionException>(() => otherKeySameId.Unprotect(cipher, _record, Column));

        Assert.That(failure!.Message, Does.Contain("failed authentication"));
        Assert.That(failure.InnerException, Is.InstanceOf<AuthenticationTagMismatchException>());
    }

    [Test]
    public void After_rotation_old_values_decrypt_with_the_previous_key_and_new_ones_use_the_new_key()
    {
        var old = _phi.Protect("W98X76Y54Z", _record, Column);
        var rotated = TestDatabase.CreateProtector(s_otherKey, keyId: 2, new PhiPreviousKey { Id = 1, Key = TestHostSettings.PhiKey });

        var fresh = rotated.Protect("W98X76Y54Z", _record, Column);

        Assert.That(rotated.Unprotect(old, _record, Column), Is.EqualTo("W98X76Y54Z"));
        Assert.That(fresh[1], Is.EqualTo(2));
        Assert.That(rotated.Unprotect(fresh, _record, Column), Is.EqualTo("W98X76Y54Z"));
        var unknown = Assert.Throws<PhiDecryptionException>(() => _phi.Unprotect(fresh, _record, Column));
        Assert.That(unknown!.Message, Does.Contain("key id 2, which is not configured"));
    }

    [Test]
    public void Member_keys_are_normalised_keyed_and_payer_specific()
    {
        var key = _phi.MemberKey("60054", "W98X76Y54Z");

        Assert.That(key, Does.Match("^[0-9a-f]{64}$"));
        Assert.That(_phi.MemberKey(" 60054 ", " w98x76y54z "), Is.EqualTo(key));
        Assert.That(_phi.MemberKey("87726", "W98X76Y54Z"), Is.Not.EqualTo(key));
        Assert.That(TestDatabase.CreateProtector(s_otherKey).MemberKey("60054", "W98X76Y54Z"), Is.Not.EqualTo(key), "a plain hash could be reversed by trying member IDs");
        Assert.That(key, Is.Not.EqualTo(Convert.ToHexStringLower(SHA256.HashData("60054\u001fW98X76Y54Z"u8))));
    }

    [Test]
    public void The_lookup_key_can_stay_on_the_old_key_during_rotation()
    {
        var before = _phi.MemberKey("60054", "W98X76Y54Z");
        var options = new PhiOptions { Key = s_otherKey, KeyId = 2, LookupKeyId = 1 };
        options.PreviousKeys.Add(new PhiPreviousKey { Id = 1, Key = TestHostSettings.PhiKey });

        var rotated = new PhiProtector(Microsoft.Extensions.Options.Options.Create(options));

        Assert.That(rotated.MemberKey("60054", "W98X76Y54Z"), Is.EqualTo(before));
    }
}
