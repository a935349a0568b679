using Teleport.Orleans.Ssh.Wire;

namespace Teleport.Orleans.Ssh.Certificates;

/// <summary>
/// Critical options and extensions: (string name, string data) pairs, names sorted and unique.
/// A non-empty value is wrapped in a nested SSH string inside data, as OpenSSH and Go's x/crypto do;
/// an empty value is empty data.
/// </summary>
internal static class CertificateOptions
{
    public static void Write(SshWriter writer, IReadOnlyDictionary<string, string> options)
    {
        var section = new SshWriter();
        // Sort by UTF-8 bytes, which is the order OpenSSH compares (strcmp).
        var sorted = options
            .Select(o => (Name: SshWriter.StrictUtf8.GetBytes(o.Key), o.Value))
            .OrderBy(o => o.Name, ByteOrder.Instance);
        foreach (var (name, value) in sorted)
        {
            section.WriteString(name);
            if (value.Length == 0)
            {
                section.WriteString([]);
            }
            else
            {
                section.WriteString(new SshWriter().WriteString(value));
            }
        }

        writer.WriteString(section);
    }

    public static IReadOnlyDictionary<string, string> Read(ReadOnlySpan<byte> section, string what)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new SshReader(section);
        ReadOnlySpan<byte> previous = default;
        var first = true;
        while (!reader.IsEmpty)
        {
            var nameBytes = reader.ReadString();
            if (!first && nameBytes.SequenceCompareTo(previous) <= 0)
            {
                throw new FormatException($"Certificate {what} are not sorted by name or repeat a name.");
            }

            first = false;
            previous = nameBytes;
            var name = SshReader.DecodeUtf8(nameBytes);
            var data = reader.ReadString();
            string value;
            if (data.IsEmpty)
            {
                value = "";
            }
            else
            {
                var inner = new SshReader(data);
                value = inner.ReadUtf8String();
                inner.EnsureEnd($"Certificate {what} value of '{name}'");
            }

            result.Add(name, value);
        }

        return result.AsReadOnly();
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
