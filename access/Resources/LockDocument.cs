using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Resources;

public sealed record LockDocument(AccessLock Lock) : ResourceDocument(ResourceKinds.Lock, Lock.Name);
