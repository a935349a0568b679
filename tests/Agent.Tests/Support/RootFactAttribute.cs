using Teleport.Orleans.Agent.Terminal;

namespace Teleport.Orleans.Agent.Tests.Support;

/// <summary>A test that needs a node running as root (sessions as another user); skipped with the reason otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!UnixUser.ProcessIsRoot)
        {
            Skip = "Needs root: only a node running as root starts sessions as another user.";
        }
    }
}
