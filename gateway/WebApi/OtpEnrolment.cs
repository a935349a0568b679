using QRCoder;

namespace Teleport.Orleans.Gateway.WebApi;

/// <summary>The otpauth URI and its QR code for an invite's TOTP secret, for authenticator apps to scan.</summary>
internal static class OtpEnrolment
{
    public static string KeyUri(string secret, string user, string cluster)
    {
        var label = Uri.EscapeDataString($"{cluster}:{user}");
        return $"otpauth://totp/{label}?secret={secret}&issuer={Uri.EscapeDataString(cluster)}&algorithm=SHA1&digits=6&period=30";
    }

    /// <summary>A new TOTP secret: 160 random bits in base32 (RFC 4648, no padding), as authenticator apps take it.</summary>
    public static string NewSecret()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(20);
        var text = new System.Text.StringBuilder(32);
        for (var bit = 0; bit < bytes.Length * 8; bit += 5)
        {
            var index = bit / 8;
            var word = (bytes[index] << 8) | (index + 1 < bytes.Length ? bytes[index + 1] : 0);
            text.Append(alphabet[(word >> (11 - (bit % 8))) & 31]);
        }

        return text.ToString();
    }

    /// <summary>PNG bytes of the URI as a QR code.</summary>
    public static byte[] QrPng(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(6);
    }
}
