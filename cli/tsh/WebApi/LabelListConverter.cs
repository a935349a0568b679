using System.Text.Json;
using System.Text.Json.Serialization;

namespace Teleport.Orleans.Cli.Tsh.WebApi;

/// <summary>
/// Node labels as the web API writes them, <c>[{"name":"env","value":"prod"}]</c>, or as a plain object
/// <c>{"env":"prod"}</c>; a value that is not a string (a number, true) is kept as its JSON text.
/// </summary>
internal sealed class LabelListConverter : JsonConverter<List<KeyValuePair<string, string>>>
{
    public override List<KeyValuePair<string, string>>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var labels = new List<KeyValuePair<string, string>>();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.StartArray:
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (ReadPair(ref reader) is { } pair)
                    {
                        labels.Add(pair);
                    }
                }

                return labels;
            case JsonTokenType.StartObject:
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString()!;
                    reader.Read();
                    labels.Add(KeyValuePair.Create(name, Text(ref reader)));
                }

                return labels;
            default:
                throw new JsonException($"labels are a list of {{name, value}} or an object, not {reader.TokenType}");
        }
    }

    public override void Write(Utf8JsonWriter writer, List<KeyValuePair<string, string>> value, JsonSerializerOptions options) =>
        throw new NotSupportedException("tsh only reads node labels from the proxy.");

    /// <summary>One <c>{"name":..., "value":...}</c>; an entry without a name is skipped.</summary>
    private static KeyValuePair<string, string>? ReadPair(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? name = null;
        var value = "";
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = reader.GetString();
            reader.Read();
            switch (field)
            {
                case "name" when reader.TokenType == JsonTokenType.String:
                    name = reader.GetString();
                    break;
                case "value":
                    value = Text(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return name is null ? null : KeyValuePair.Create(name, value);
    }

    private static string Text(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return reader.GetString()!;
            case JsonTokenType.Null:
                return "";
            default:
                using (var value = JsonDocument.ParseValue(ref reader))
                {
                    return value.RootElement.GetRawText();
                }
        }
    }
}
