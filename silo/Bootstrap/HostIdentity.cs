namespace Teleport.Orleans.Silo.Bootstrap;

/// <summary>This host's UUID, made on first start and kept in the data dir as Teleport keeps <c>host_uuid</c>.</summary>
internal static class HostIdentity
{
    public static string LoadOrCreateHostId(string dataDir)
    {
        var path = Path.Combine(dataDir, "host_uuid");
        if (File.Exists(path))
        {
            var text = File.ReadAllText(path).Trim();
            if (Guid.TryParse(text, out _))
            {
                return text;
            }

            throw new InvalidOperationException($"{path} does not hold a UUID; remove it to make a new host identity");
        }

        Directory.CreateDirectory(dataDir);
        var id = Guid.NewGuid().ToString();
        File.WriteAllText(path, id + "\n");
        return id;
    }
}
