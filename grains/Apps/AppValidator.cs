using Teleport.Orleans.Contracts.Resources;

namespace Teleport.Orleans.Grains.Apps;

/// <summary>What the registry refuses to store: an app the proxy could not serve at a subdomain.</summary>
internal static class AppValidator
{
    public static string? Error(App app) =>
        !IsDnsLabel(app.Name) ? $"app name \"{app.Name}\" is not a DNS label (lower-case letters, digits and '-', at most 63)"
        : !System.Uri.TryCreate(app.Uri, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ? $"app \"{app.Name}\": uri \"{app.Uri}\" is not an absolute http or https URI"
        : null;

    public static bool IsDnsLabel(string name) =>
        name.Length is > 0 and <= 63
        && name[0] != '-' && name[^1] != '-'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
