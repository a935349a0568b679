using Teleport.Orleans.Backends.Core.Recordings;
using Teleport.Orleans.Backends.S3.Recordings;
using Teleport.Orleans.Backends.Tests.Conformance;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.S3;

public sealed class S3rverRestartTests : ServerRestartConformance<S3rverServer>
{
    protected override IRecordingStore CreateRecordingStore() => Own(new S3RecordingStore(S3rver.Location(Server), retry: QuickRetry));
}
