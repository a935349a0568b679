namespace Teleport.Orleans.Access.Resources;

/// <summary>One resource of a YAML or JSON file, as <c>tctl get</c> and <c>tctl create</c> exchange them.</summary>
public abstract record ResourceDocument(string Kind, string Name);
