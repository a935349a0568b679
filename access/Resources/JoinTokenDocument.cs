using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Resources;

public sealed record JoinTokenDocument(JoinToken Token) : ResourceDocument(ResourceKinds.Token, Token.Name);
