using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Resources;

public sealed record UserDocument(User User) : ResourceDocument(ResourceKinds.User, User.Name);
