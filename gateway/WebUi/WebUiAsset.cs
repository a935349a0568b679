using System.IO.Compression;
using System.Security.Cryptography;

namespace Teleport.Orleans.Gateway.WebUi;

/// <summary>One file of the built web UI, with its ETag and, made on first use, its gzip and Brotli encodings.</summary>
internal sealed class WebUiAsset
{
    private readonly Lazy<byte[]> _brotli;
    private readonly Lazy<byte[]> _gzip;

    public WebUiAsset(string name, byte[] content)
    {
        Name = name;
        Content = content;
        ContentType = ContentTypeOf(name);
        ETag = $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"";
        _brotli = new Lazy<byte[]>(() => Compress(content, stream => new BrotliStream(stream, CompressionLevel.Optimal, leaveOpen: true)));
        _gzip = new Lazy<byte[]>(() => Compress(content, stream => new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true)));
    }

    public string Name { get; }

    public byte[] Content { get; }

    public string ContentType { get; }

    public string ETag { get; }

    /// <summary>Worth compressing: text formats above a few hundred bytes.</summary>
    public bool Compressible => Content.Length > 512 && (ContentType.StartsWith("text/", StringComparison.Ordinal) || ContentType.StartsWith("application/json", StringComparison.Ordinal) || ContentType.StartsWith("image/svg", StringComparison.Ordinal));

    public byte[] Brotli => _brotli.Value;

    public byte[] Gzip => _gzip.Value;

    internal static string ContentTypeOf(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".map" or ".json" => "application/json; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        ".ico" => "image/x-icon",
        ".woff2" => "font/woff2",
        _ => "application/octet-stream",
    };

    private static byte[] Compress(byte[] content, Func<Stream, Stream> compressor)
    {
        using var buffer = new MemoryStream();
        using (var stream = compressor(buffer))
        {
            stream.Write(content);
        }

        return buffer.ToArray();
    }
}
