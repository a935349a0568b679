using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Resources;

public sealed record NodeDocument(Node Node) : ResourceDocument(ResourceKinds.Node, Node.Name);
