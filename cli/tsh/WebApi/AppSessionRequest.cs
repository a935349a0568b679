using System.Text.Json.Serialization;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>The body of <c>POST /v1/webapi/sessions/app</c>: the app, its cluster and the key to certify (base64 DER SubjectPublicKeyInfo).</summary>
internal sealed record AppSessionRequest(
    [property: JsonPropertyName("app_name")] string AppName,
    [property: JsonPropertyName("cluster_name")] string ClusterName,
    [property: JsonPropertyName("tls_public_key")] string TlsPublicKey);
