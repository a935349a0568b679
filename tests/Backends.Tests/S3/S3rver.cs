using Amazon.Runtime;
using Teleport.Orleans.Backends.S3;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.S3;

internal static class S3rver
{
    /// <summary>s3rver accepts only its own fixed key pair.</summary>
    public static S3Location Location(S3rverServer server, string? bucket = null) =>
        S3Location.Parse($"s3://{bucket ?? S3rverServer.UniqueBucket()}/recordings?region=us-east-1&endpoint={Uri.EscapeDataString(server.Endpoint)}&insecure=true") with
        {
            Credentials = new BasicAWSCredentials("S3RVER", "S3RVER"),
        };
}
