using Teleport.Orleans.Backends.Gcs;

namespace Teleport.Orleans.Backends.Tests.Gcs;

public sealed class GcsLocationTests
{
    [Fact]
    public void Teleport_query_keys_are_read_with_the_prefix_in_path()
    {
        var location = GcsLocation.Parse("gs://teleport-records?projectID=my-project&path=/cluster/a/&endpoint=127.0.0.1:4443");

        Assert.Equal(("teleport-records", "my-project", "cluster/a", "http://127.0.0.1:4443"), (location.Bucket, location.ProjectId, location.Prefix, location.Endpoint));
        Assert.Null(location.CredentialsPath);
        Assert.Equal("", GcsLocation.Parse("gs://teleport-records?projectID=p").Prefix);
    }

    [Theory]
    [InlineData("s3://teleport-records?projectID=p", "gs://")]
    [InlineData("gs://Teleport-Records?projectID=p", "bucket name 'Teleport-Records' is invalid")]
    [InlineData("gs://ab?projectID=p", "bucket name 'ab' is invalid")]
    [InlineData("gs://teleport-records", "projectID is missing")]
    [InlineData("gs://teleport-records?projectId=p", "unknown parameter 'projectId'")]
    [InlineData("gs://teleport-records?projectID=p&credentialsPath=/no/such/key.json", "credentialsPath '/no/such/key.json' does not exist")]
    [InlineData("gs://teleport-records?projectID=p&endpoint=ftp://host", "is not an http(s) URL")]
    [InlineData("gs://teleport-records/a?projectID=p&path=b", "the prefix is given twice")]
    public void Bad_uris_are_refused_with_the_reason(string uri, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => GcsLocation.Parse(uri));

        Assert.Contains(reason, error.Message);
    }
}
