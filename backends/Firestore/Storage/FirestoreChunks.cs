using System.Globalization;
using System.Text.Json.Nodes;
using Teleport.Orleans.Backends.Firestore.Client;

namespace Teleport.Orleans.Backends.Firestore.Storage;

/// <summary>
/// Records larger than one document holds (Firestore's limit is 1 MiB) as chunk documents <c>KEY/chunk/INDEX</c>,
/// written and deleted in the same atomic commit as the record document, which names the chunk count. Each chunk
/// carries the record's revision, so a reader that raced a writer sees the mismatch and reads again.
/// </summary>
internal static class FirestoreChunks
{
    /// <summary>Below the document limit with room for the name, the key and the other fields.</summary>
    public const int ChunkSize = 900 * 1024;

    /// <summary>A commit request is at most 10 MiB, and the bytes travel as base64 in it.</summary>
    public const int MaxRecordSize = 6 * 1024 * 1024;

    public static int Count(int length) => length <= ChunkSize ? 0 : (length + ChunkSize - 1) / ChunkSize;

    public static string Key(string recordKey, int index) => recordKey + "/chunk/" + index.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Sets chunks 0..count-1 of the new record and deletes those of the old one past them.</summary>
    public static IEnumerable<JsonObject> Writes(FirestoreDatabase database, string recordKey, ReadOnlyMemory<byte> data, string revision, int oldCount)
    {
        var count = Count(data.Length);
        for (var i = 0; i < count; i++)
        {
            var key = Key(recordKey, i);
            var slice = data.Slice(i * ChunkSize, Math.Min(ChunkSize, data.Length - (i * ChunkSize)));
            yield return FirestoreValues.Set(database.DocumentName(key), Fields(key, slice.Span, revision));
        }

        for (var i = count; i < oldCount; i++)
        {
            yield return FirestoreValues.Delete(database.DocumentName(Key(recordKey, i)));
        }
    }

    /// <summary>The record's bytes from its chunks, or null when a chunk belongs to another revision (a writer raced the read).</summary>
    public static async Task<byte[]?> ReadAsync(FirestoreDatabase database, string recordKey, int count, string revision, CancellationToken cancellationToken)
    {
        var names = Enumerable.Range(0, count).Select(i => database.DocumentName(Key(recordKey, i))).ToList();
        var chunks = await database.RunAsync("read-chunks", (client, token) => client.BatchGetAsync(names, token), cancellationToken);
        if (chunks.Any(c => c is null || c.String("revision") != revision))
        {
            return null;
        }

        using var data = new MemoryStream();
        foreach (var chunk in chunks)
        {
            data.Write(chunk!.Bytes("value"));
        }

        return data.ToArray();
    }

    public static JsonObject Fields(string key, ReadOnlySpan<byte> value, string revision) => new()
    {
        ["key"] = FirestoreValues.Bytes(System.Text.Encoding.UTF8.GetBytes(key)),
        ["value"] = FirestoreValues.Bytes(value),
        ["timestamp"] = FirestoreValues.Integer(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
        ["expires"] = FirestoreValues.Integer(0),
        ["revision"] = FirestoreValues.String(revision),
    };
}
