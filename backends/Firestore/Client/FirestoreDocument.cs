using System.Globalization;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Backends.Firestore.Client;

/// <summary>A document as Firestore returned it: its full name, fields and update time (normalized, see <see cref="FirestoreTime"/>).</summary>
public sealed class FirestoreDocument(string name, JsonObject fields, string updateTime)
{
    public string Name { get; } = name;

    public JsonObject Fields { get; } = fields;

    public string UpdateTime { get; } = updateTime;

    /// <summary>The last path segment: the document id.</summary>
    public string Id => Name[(Name.LastIndexOf('/') + 1)..];

    public bool Has(string field) => Fields.ContainsKey(field);

    public byte[] Bytes(string field) =>
        Fields[field]?["bytesValue"]?.GetValue<string>() is { } base64 ? Convert.FromBase64String(base64) : [];

    public string String(string field) => Fields[field]?["stringValue"]?.GetValue<string>() ?? "";

    public long Integer(string field) =>
        Fields[field]?["integerValue"]?.GetValue<string>() is { } text ? long.Parse(text, CultureInfo.InvariantCulture) : 0;

    internal static FirestoreDocument FromJson(JsonObject json) => new(
        json["name"]!.GetValue<string>(),
        json["fields"] as JsonObject ?? [],
        FirestoreTime.Normalize(json["updateTime"]!.GetValue<string>()));
}
