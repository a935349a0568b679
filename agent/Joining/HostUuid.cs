namespace Teleport.Orleans.Agent.Joining;

/// <summary>
/// The host's UUID in <c>data_dir/host_uuid</c>, as Teleport keeps it. In the all-in-one process the auth service
/// and the node share the file, so the node is the same host as the auth service.
/// </summary>
internal static class HostUuid
{
    public static string LoadOrCreate(string dataDir)
    {
        var path = Path.Combine(dataDir, "host_uuid");
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            return Guid.TryParse(text, out _)
                ? text
                : throw new InvalidOperationException($"{path} does not hold a UUID; remove it to make a new host identity");
        }

        Directory.CreateDirectory(dataDir);
        var id = Guid.NewGuid().ToString();
        File.WriteAllText(path, id + "\n");
        return id;
    }
}
