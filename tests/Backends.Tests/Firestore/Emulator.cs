using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Backends.Firestore;
using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Firestore;

/// <summary>Databases over the emulator, each on a collection no other test uses.</summary>
internal static class Emulator
{
    public static FirestoreDatabase Database(FirestoreEmulator emulator, string? collection = null, RetryOptions? retry = null, ILogger? logger = null, TimeSpan? retention = null) =>
        new(Options(emulator.Endpoint, collection) with { EventRetention = retention }, logger, retry);

    public static FirestoreOptions Options(string endpoint, string? collection = null) => new()
    {
        ProjectId = FirestoreEmulator.ProjectId,
        CollectionName = collection ?? FirestoreEmulator.UniqueCollection(),
        Endpoint = endpoint,
        // The tests purge by hand (ExpiredDocumentPurge.PurgeOnceAsync).
        DisableExpiredDocumentPurge = true,
    };
}
