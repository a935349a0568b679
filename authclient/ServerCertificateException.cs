using System.Security.Authentication;

namespace Teleport.Orleans.AuthClient;

/// <summary>The auth server's TLS certificate was rejected; the message says why.</summary>
public sealed class ServerCertificateException(string message) : AuthenticationException(message);
