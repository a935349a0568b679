using Teleport.Orleans.Access.Resources;
using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Access.Tests.Resources;

public sealed class LockYamlTests
{
    private static AccessLock Parse(string yaml) => Assert.IsType<LockDocument>(Assert.Single(ResourceYaml.Parse(yaml))).Lock;

    [Fact]
    public void Teleports_lock_is_read()
    {
        var lockResource = Parse("""
            kind: lock
            version: v2
            metadata:
              name: incident-42
            spec:
              target:
                user: mallory
                login: root
              message: "Suspicious activity"
              expires: "2030-01-02T03:04:05Z"
            """);

        Assert.Equal("mallory", lockResource.Target.User);
        Assert.Equal("root", lockResource.Target.Login);
        Assert.Equal("Suspicious activity", lockResource.Message);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero), lockResource.Expires);
    }

    [Fact]
    public void Lock_without_a_target_is_refused()
    {
        var error = Assert.Throws<ResourceFormatException>(() => Parse("""
            kind: lock
            version: v2
            metadata:
              name: empty
            spec:
              target: {}
            """));

        Assert.Contains("spec.target", error.Message);
    }

    [Fact]
    public void Lock_reads_back_what_it_writes()
    {
        var original = new AccessLock
        {
            Name = "l1",
            Target = new LockTarget { Node = "node-uuid" },
            Message = "maintenance: \"db\"",
            CreatedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
            CreatedBy = "admin",
        };

        var again = Parse(ResourceYaml.ToYaml([new LockDocument(original)]));

        Assert.Equal(original, again);
    }

    [Fact]
    public void Session_trackers_cannot_be_created()
    {
        var error = Assert.Throws<ResourceFormatException>(() => ResourceYaml.Parse("""
            kind: session_tracker
            version: v1
            metadata:
              name: s1
            spec: {}
            """));

        Assert.Contains("cannot be created", error.Message);
    }
}
