using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Backends.S3.Recordings;

public sealed partial class S3RecordingStore
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created S3 bucket {Bucket} for session recordings")]
    private partial void LogBucketCreated(string bucket);
}
