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

    /// <summary>PNG bytes of the URI as a QR code.</summary>
    public static byte[] QrPng(string uri)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(6);
    }
}
