namespace Teleport.Orleans.Configuration;

/// <summary>A proxy_service.https_keypairs entry: PEM private key and certificate chain.</summary>
public sealed class KeyPairConfig
{
    public required string KeyFile { get; init; }

    public required string CertFile { get; init; }
}
