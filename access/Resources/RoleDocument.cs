using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Resources;

public sealed record RoleDocument(Role Role) : ResourceDocument(ResourceKinds.Role, Role.Name);
