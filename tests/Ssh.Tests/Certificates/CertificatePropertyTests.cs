using CsCheck;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Tests.Support;

namespace Teleport.Orleans.Ssh.Tests.Certificates;

public sealed class CertificatePropertyTests
{
    // Printable ASCII plus two non-ASCII ranges; never lone surrogates, which SSH strings cannot carry.
    private static readonly Gen<string> Text =
        Gen.OneOf(Gen.Char[' ', '~'], Gen.Char['\u00a0', '\u07ff'], Gen.Char['\u4e00', '\u4fff']).Array[0, 16].Select(c => new string(c));

    private static readonly Gen<Dictionary<string, string>> Options =
        Gen.Select(Text.Where(t => t.Length > 0), Text).Array[0, 6]
            .Select(pairs => pairs.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2));

    private static readonly Gen<DateTimeOffset> Time =
        Gen.OneOf(
            Gen.Const(DateTimeOffset.UnixEpoch),
            Gen.Const(DateTimeOffset.MaxValue),
            Gen.Long[0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()].Select(DateTimeOffset.FromUnixTimeSeconds));

    private static readonly Gen<SshCertificateBuilder> Builders =
        Gen.Select(
            Gen.Enum<SshKeyType>(),
            Gen.Select(Gen.ULong, Gen.Bool, Text, Text.Array[0, 5]),
            Gen.Select(Time, Time),
            Options,
            Options)
        .Select((keyType, identity, window, critical, extensions) => new SshCertificateBuilder
        {
            PublicKey = TestKeys.Get(keyType).PublicKey,
            Serial = identity.Item1,
            Type = identity.Item2 ? SshCertificateType.User : SshCertificateType.Host,
            KeyId = identity.Item3,
            Principals = identity.Item4,
            ValidAfter = window.Item1 < window.Item2 ? window.Item1 : window.Item2,
            ValidBefore = window.Item1 < window.Item2 ? window.Item2 : window.Item1,
            CriticalOptions = critical,
            Extensions = extensions,
        });

    [Fact]
    public void Certificate_encode_then_parse_round_trips_random_fields()
    {
        var ca = TestKeys.Get(SshKeyType.Ed25519);
        Builders.Sample(builder =>
        {
            var signed = builder.Sign(ca);
            var parsed = SshCertificate.Parse(signed.ToAuthorizedKeysLine("c"));

            Assert.Equal(signed.Blob, parsed.Blob);
            Assert.Equal(builder.PublicKey, parsed.PublicKey);
            Assert.Equal(builder.Serial, parsed.Serial);
            Assert.Equal(builder.Type, parsed.Type);
            Assert.Equal(builder.KeyId, parsed.KeyId);
            Assert.Equal(builder.Principals, parsed.Principals);
            Assert.Equal(Seconds(builder.ValidAfter), parsed.ValidAfterSeconds);
            Assert.Equal(Seconds(builder.ValidBefore), parsed.ValidBeforeSeconds);
            Assert.Equal(builder.CriticalOptions.OrderBy(o => o.Key, StringComparer.Ordinal), parsed.CriticalOptions.OrderBy(o => o.Key, StringComparer.Ordinal));
            Assert.Equal(builder.Extensions.OrderBy(o => o.Key, StringComparer.Ordinal), parsed.Extensions.OrderBy(o => o.Key, StringComparer.Ordinal));
            Assert.Equal(ca.PublicKey, parsed.SignatureKey);
            Assert.True(parsed.VerifySignature());
        }, iter: 150);
    }

    [Fact]
    public void Mutated_certificate_blobs_only_ever_throw_FormatException()
    {
        var blob = new SshCertificateBuilder
        {
            PublicKey = TestKeys.Get(SshKeyType.EcdsaP256).PublicKey,
            Principals = ["alice"],
            CriticalOptions = new Dictionary<string, string> { ["force-command"] = "ls" },
            Extensions = new Dictionary<string, string> { ["permit-pty"] = "" },
        }.Sign(TestKeys.Get(SshKeyType.Rsa)).Blob;

        Gen.Select(Gen.Int[0, blob.Length - 1], Gen.Byte, Gen.Int[0, blob.Length]).Sample((index, value, cut) =>
        {
            var mutated = (byte[])blob.Clone();
            mutated[index] = value;
            try
            {
                // Parsing may succeed (e.g. a changed key id); verification must then simply be a boolean.
                _ = SshCertificate.FromBlob(mutated.AsSpan(0, cut)).VerifySignature();
            }
            catch (FormatException)
            {
            }
        }, iter: 2000);
    }

    private static ulong Seconds(DateTimeOffset time) =>
        time == DateTimeOffset.MaxValue ? ulong.MaxValue : (ulong)time.ToUnixTimeSeconds();
}
