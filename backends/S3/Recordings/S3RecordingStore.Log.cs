using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Backends.S3.Recordings;

public sealed partial class S3RecordingStore
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Created S3 bucket {Bucket} for session recordings")]
    private partial void LogBucketCreated(string bucket);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The S3 store of bucket {Bucket} does not implement conditional uploads (If-None-Match); recordings are checked before upload instead, which two concurrent uploads of one session can race")]
    private partial void LogConditionalPutUnsupported(string bucket);
}
