using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Backends.Gcs.Recordings;

public sealed partial class GcsRecordingStore
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created Google Cloud Storage bucket {Bucket} in project {Project} for session recordings")]
    private partial void LogBucketCreated(string bucket, string project);
}
