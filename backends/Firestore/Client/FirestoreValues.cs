using System.Globalization;
using System.Text.Json.Nodes;

namespace Teleport.Orleans.Backends.Firestore.Client;

/// <summary>Firestore's typed values and writes in their REST (JSON) form.</summary>
public static class FirestoreValues
{
    public static JsonObject Bytes(ReadOnlySpan<byte> value) => new() { ["bytesValue"] = Convert.ToBase64String(value) };

    public static JsonObject Integer(long value) => new() { ["integerValue"] = value.ToString(CultureInfo.InvariantCulture) };

    public static JsonObject String(string value) => new() { ["stringValue"] = value };

    /// <summary>A reference to a document, for a query cursor on <c>__name__</c>.</summary>
    public static JsonObject Reference(string name) => new() { ["referenceValue"] = name };

    /// <summary>Sets the whole document (missing fields are removed), under <paramref name="precondition"/> if any.</summary>
    public static JsonObject Set(string name, JsonObject fields, JsonObject? precondition = null)
    {
        var write = new JsonObject { ["update"] = new JsonObject { ["name"] = name, ["fields"] = fields } };
        if (precondition is not null)
        {
            write["currentDocument"] = precondition;
        }

        return write;
    }

    public static JsonObject Delete(string name, JsonObject? precondition = null)
    {
        var write = new JsonObject { ["delete"] = name };
        if (precondition is not null)
        {
            write["currentDocument"] = precondition;
        }

        return write;
    }

    /// <summary>The document must not exist (a create).</summary>
    public static JsonObject Missing() => new() { ["exists"] = false };

    /// <summary>The document must exist, whatever its version.</summary>
    public static JsonObject Exists() => new() { ["exists"] = true };

    /// <summary>The document must exist and be unchanged since <paramref name="updateTime"/>.</summary>
    public static JsonObject UpdatedAt(string updateTime) => new() { ["updateTime"] = updateTime };

    public static JsonObject FieldFilter(string field, string op, JsonObject value) => new()
    {
        ["fieldFilter"] = new JsonObject { ["field"] = new JsonObject { ["fieldPath"] = field }, ["op"] = op, ["value"] = value },
    };

    public static JsonObject And(params JsonObject[] filters) => new()
    {
        ["compositeFilter"] = new JsonObject { ["op"] = "AND", ["filters"] = new JsonArray([.. filters]) },
    };

    public static JsonObject Order(string field, bool descending) => new()
    {
        ["field"] = new JsonObject { ["fieldPath"] = field },
        ["direction"] = descending ? "DESCENDING" : "ASCENDING",
    };
}
