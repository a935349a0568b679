using System.Security.Cryptography;
using System.Text;

namespace Teleport.Orleans.Contracts.Grains;

/// <summary>Web sessions' secrets: the id (in the cookie) and the bearer token (in the Authorization header).</summary>
public static class WebSessionSecrets
{
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static string NewBearer() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Hex SHA-256 of a bearer token, as sessions keep it.</summary>
    public static string Hash(string bearer) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(bearer)));
}
