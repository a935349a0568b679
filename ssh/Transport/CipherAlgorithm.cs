namespace Teleport.Orleans.Ssh.Transport;

/// <summary>A negotiable cipher: key and IV sizes for key derivation and a factory for one direction.</summary>
internal sealed class CipherAlgorithm
{
    public static readonly IReadOnlyList<CipherAlgorithm> All =
    [
        new("aes256-gcm@openssh.com", 32, 12, isAead: true, (key, iv, _, _) => new AesGcmPacketCipher(key, iv)),
        new("aes128-gcm@openssh.com", 16, 12, isAead: true, (key, iv, _, _) => new AesGcmPacketCipher(key, iv)),
        new("chacha20-poly1305@openssh.com", 64, 0, isAead: true, (key, _, _, _) => new ChaCha20Poly1305PacketCipher(key)),
        new("aes256-ctr", 32, 16, isAead: false, CreateCtr),
        new("aes128-ctr", 16, 16, isAead: false, CreateCtr),
    ];

    private readonly Func<byte[], byte[], MacAlgorithm?, byte[], PacketCipher> _create;

    private CipherAlgorithm(string name, int keySize, int ivSize, bool isAead, Func<byte[], byte[], MacAlgorithm?, byte[], PacketCipher> create)
    {
        Name = name;
        KeySize = keySize;
        IvSize = ivSize;
        IsAead = isAead;
        _create = create;
    }

    public string Name { get; }

    public int KeySize { get; }

    public int IvSize { get; }

    /// <summary>AEAD ciphers carry their own tag, so no MAC is negotiated for them (OpenSSH PROTOCOL §1.6).</summary>
    public bool IsAead { get; }

    public static CipherAlgorithm? Find(string name) => All.FirstOrDefault(c => c.Name == name);

    public PacketCipher Create(byte[] key, byte[] iv, MacAlgorithm? mac, byte[] macKey) => _create(key, iv, mac, macKey);

    private static PacketCipher CreateCtr(byte[] key, byte[] iv, MacAlgorithm? mac, byte[] macKey) =>
        new AesCtrHmacPacketCipher(key, iv, mac ?? throw new InvalidOperationException("CTR needs a MAC."), macKey);
}
