using Teleport.Orleans.Backends.S3;

namespace Teleport.Orleans.Backends.Tests.S3;

public sealed class S3LocationTests
{
    [Fact]
    public void Teleport_query_keys_are_read_and_an_endpoint_makes_uploads_byte_exact()
    {
        var location = S3Location.Parse("s3://records-bucket/cluster/a?region=eu-west-1&endpoint=127.0.0.1:9000&insecure=true&disablesse=true");

        Assert.Equal(("records-bucket", "cluster/a", "eu-west-1", "http://127.0.0.1:9000"), (location.Bucket, location.Prefix, location.Region, location.Endpoint));
        Assert.True(location.Insecure && location.DisableSse && location.ByteExactUploads);
        Assert.False(S3Location.Parse("s3://records-bucket").ByteExactUploads);
        Assert.False(S3Location.Parse("s3://records-bucket?endpoint=https://minio.example&chunked_uploads=true").ByteExactUploads);
    }

    [Theory]
    [InlineData("file:///var/lib/records", "s3://")]
    [InlineData("s3://UPPER/x", "bucket name")]
    [InlineData("s3://ab", "bucket name")]
    [InlineData("s3://bucket-name?regoin=us-east-1", "unknown parameter 'regoin'")]
    [InlineData("s3://bucket-name?insecure=yes", "insecure=yes")]
    public void Bad_uris_are_refused_with_the_reason(string uri, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => S3Location.Parse(uri));

        Assert.Contains(reason, error.Message);
    }
}
