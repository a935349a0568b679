namespace Teleport.Orleans.Agent.Tunnel;

/// <summary>
/// Hides that a tunnel connection is an <see cref="System.Net.Security.SslStream"/> (TLS routing on the web port):
/// HttpClient would take a connect callback's SslStream as its own TLS session, while the node's mTLS with the
/// auth service must run inside it.
/// </summary>
internal sealed class OpaqueStream(Stream inner) : PassThroughStream(inner);
