using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Resources;

public sealed record AuthPreferenceDocument(AuthPreference Preference) : ResourceDocument(ResourceKinds.AuthPreference, ResourceKinds.AuthPreferenceName);
