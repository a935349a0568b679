using Teleport.Orleans.TestServers;

namespace Teleport.Orleans.Backends.Tests.Firestore;

/// <summary>One Firestore emulator for all Firestore test classes.</summary>
[CollectionDefinition(Name)]
public sealed class FirestoreCollection : ICollectionFixture<FirestoreEmulator>
{
    public const string Name = "firestore";
}
