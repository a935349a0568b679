using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Keys;

/// <summary>The SSH signature encoding: <c>string algorithm, string signature</c>.</summary>
internal static class SshSignatureBlob
{
    public static byte[] Encode(string algorithm, ReadOnlySpan<byte> signature) =>
        new SshWriter(signature.Length + 32).WriteString(algorithm).WriteString(signature).ToArray();

    /// <summary>Strict decode; false on any malformation so verifiers can simply return false.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> blob, out string algorithm, out byte[] signature)
    {
        try
        {
            var reader = new SshReader(blob);
            algorithm = reader.ReadUtf8String();
            signature = reader.ReadString().ToArray();
            reader.EnsureEnd("Signature blob");
            return true;
        }
        catch (FormatException)
        {
            algorithm = "";
            signature = [];
            return false;
        }
    }
}
