using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Resources;

public sealed record UserDocument(User User) : ResourceDocument(ResourceKinds.User, User.Name);
