using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Teleport.Orleans.Gateway.WebApi;

internal static class JsonBody
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Reads a JSON body; malformed or missing bodies become a 400 with the reason.</summary>
    public static async Task<T> Read<T>(HttpRequest request)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, Options, request.HttpContext.RequestAborted)
                ?? throw new BadRequestException("the request body is empty");
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"the request body is not valid JSON: {ex.Message}");
        }
    }
}
