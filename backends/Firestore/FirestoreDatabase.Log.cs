using Microsoft.Extensions.Logging;

namespace Teleport.Orleans.Backends.Firestore;

public sealed partial class FirestoreDatabase
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Firestore collection {Collection} ready on {Where}")]
    private partial void LogReady(string collection, string where);
}
