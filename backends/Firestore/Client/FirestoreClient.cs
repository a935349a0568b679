using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2;

namespace Teleport.Orleans.Backends.Firestore.Client;

/// <summary>
/// The few calls of Firestore's REST API (v1) the backend needs: batch get, commit (atomic, with preconditions) and
/// structured queries, on one project's default database. Against Google it sends an OAuth token of the service
/// account (or the application default credentials); against the emulator (<c>endpoint</c>), no token and plain HTTP.
/// </summary>
public sealed class FirestoreClient : IDisposable
{
    private const string Scope = "https://www.googleapis.com/auth/datastore";

    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly Func<CancellationToken, Task<string?>> _token;
    private readonly string _documentsPath;

    public FirestoreClient(FirestoreOptions options)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(10) };
        _http = new HttpClient(handler) { BaseAddress = options.BaseUri, Timeout = AttemptTimeout };
        if (options.Endpoint is null)
        {
            _http.DefaultRequestVersion = HttpVersion.Version20;
            _http.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
            var credential = new Lazy<Task<ITokenAccess>>(() => LoadCredentialAsync(options.CredentialsPath));
            _token = async ct => await (await credential.Value).GetAccessTokenForRequestAsync(null, ct);
        }
        else
        {
            _token = _ => Task.FromResult<string?>(null);
        }

        DatabaseName = $"projects/{options.ProjectId}/databases/(default)";
        DocumentsRoot = DatabaseName + "/documents";
        _documentsPath = $"v1/projects/{Uri.EscapeDataString(options.ProjectId)}/databases/(default)/documents";
    }

    /// <summary><c>projects/P/databases/(default)</c>.</summary>
    public string DatabaseName { get; }

    /// <summary>The parent of every top-level collection: <c>projects/P/databases/(default)/documents</c>.</summary>
    public string DocumentsRoot { get; }

    public string DocumentName(string collection, string id) => $"{DocumentsRoot}/{collection}/{id}";

    /// <summary>The documents, in the order named, read at one instant; null for a missing one.</summary>
    public async Task<IReadOnlyList<FirestoreDocument?>> BatchGetAsync(IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return [];
        }

        var response = await PostAsync(":batchGet", new JsonObject { ["documents"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) }, cancellationToken);
        var found = new Dictionary<string, FirestoreDocument>(StringComparer.Ordinal);
        foreach (var item in Items(response))
        {
            if (item["found"] is JsonObject document)
            {
                var parsed = FirestoreDocument.FromJson(document);
                found[parsed.Name] = parsed;
            }
        }

        return [.. names.Select(n => found.GetValueOrDefault(n))];
    }

    public async Task<FirestoreDocument?> GetAsync(string name, CancellationToken cancellationToken) =>
        (await BatchGetAsync([name], cancellationToken))[0];

    /// <summary>
    /// Applies the writes atomically (all or none) and returns each write's update time, normalized; throws
    /// <see cref="FirestoreException"/> when a precondition fails (<c>ALREADY_EXISTS</c>, <c>FAILED_PRECONDITION</c>,
    /// <c>NOT_FOUND</c>) or Firestore refuses the request.
    /// </summary>
    public async Task<IReadOnlyList<string?>> CommitAsync(IReadOnlyList<JsonObject> writes, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["writes"] = new JsonArray([.. writes.Select(w => (JsonNode)w.DeepClone())]) };
        var response = await PostAsync(":commit", body, cancellationToken);
        var commitTime = response?["commitTime"]?.GetValue<string>();
        return response?["writeResults"] is JsonArray results
            ? [.. results.Select(r => r?["updateTime"]?.GetValue<string>() is { } time ? FirestoreTime.Normalize(time) : commitTime is null ? null : FirestoreTime.Normalize(commitTime))]
            : [.. writes.Select(_ => (string?)null)];
    }

    /// <summary>Runs a structured query over the top-level collections and returns the documents it found, in order.</summary>
    public async Task<IReadOnlyList<FirestoreDocument>> RunQueryAsync(JsonObject structuredQuery, CancellationToken cancellationToken)
    {
        var response = await PostAsync(":runQuery", new JsonObject { ["structuredQuery"] = structuredQuery }, cancellationToken);
        return [.. Items(response).Select(item => item["document"]).OfType<JsonObject>().Select(FirestoreDocument.FromJson)];
    }

    public void Dispose() => _http.Dispose();

    private static async Task<ITokenAccess> LoadCredentialAsync(string? path)
    {
        var credential = path is null
            ? await GoogleCredential.GetApplicationDefaultAsync()
            : await CredentialFactory.FromFileAsync(path, JsonCredentialParameters.ServiceAccountCredentialType, CancellationToken.None);
        return credential.CreateScoped(Scope);
    }

    private static IEnumerable<JsonObject> Items(JsonNode? response) =>
        response is JsonArray array ? array.OfType<JsonObject>() : response is JsonObject single ? [single] : [];

    private async Task<JsonNode?> PostAsync(string method, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _documentsPath + method)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (await _token(cancellationToken) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonNode? json;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw new FirestoreException(response.StatusCode, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), Truncate(text));
        }

        // An error is an object, or (for the streamed calls) an element of the array.
        var error = json is JsonObject obj ? obj["error"] : json is JsonArray array ? array.OfType<JsonObject>().Select(e => e["error"]).FirstOrDefault(e => e is not null) : null;
        if (!response.IsSuccessStatusCode || error is not null)
        {
            throw new FirestoreException(
                response.StatusCode,
                error?["status"]?.GetValue<string>() ?? ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
                error?["message"]?.GetValue<string>() ?? Truncate(text));
        }

        return json;
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "..." : text;
}
