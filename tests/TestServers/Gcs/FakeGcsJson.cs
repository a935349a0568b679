using System.Globalization;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.TestServers.Gcs;

/// <summary>The JSON API's bucket and object resources, with the fields the client reads.</summary>
internal static class FakeGcsJson
{
    public static JsonNode Bucket(string name) => new JsonObject
    {
        ["kind"] = "storage#bucket",
        ["id"] = name,
        ["name"] = name,
        ["location"] = "US",
        ["storageClass"] = "STANDARD",
    };

    public static JsonNode Object(FakeGcsObject stored) => new JsonObject
    {
        ["kind"] = "storage#object",
        ["id"] = $"{stored.Bucket}/{stored.Name}/{stored.Generation}",
        ["bucket"] = stored.Bucket,
        ["name"] = stored.Name,
        ["generation"] = stored.Generation.ToString(CultureInfo.InvariantCulture),
        ["metageneration"] = "1",
        ["contentType"] = stored.ContentType,
        ["size"] = stored.Content.Length.ToString(CultureInfo.InvariantCulture),
        ["md5Hash"] = stored.Md5,
        ["timeCreated"] = stored.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["updated"] = stored.Created.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["metadata"] = new JsonObject([.. stored.Metadata.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))]),
    };
}
