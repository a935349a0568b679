using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Resources;

public sealed record NodeDocument(Node Node) : ResourceDocument(ResourceKinds.Node, Node.Name);
