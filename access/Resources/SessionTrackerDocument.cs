using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Resources;

/// <summary>Read-only: written by <c>tctl get</c>, refused by <c>tctl create</c>.</summary>
public sealed record SessionTrackerDocument(SessionTracker Tracker) : ResourceDocument(ResourceKinds.SessionTracker, Tracker.SessionId);
