using YamlDotNet.RepresentationModel;

namespace Teleport.Orleans.Access.Resources;

/// <summary>A resource file that cannot be read; the message names the line and the key, e.g. "line 7: unknown key 'lgins' in spec.allow".</summary>
public sealed class ResourceFormatException : Exception
{
    public ResourceFormatException(string message)
        : base(message)
    {
    }

    public ResourceFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ResourceFormatException(int line, string message, Exception? innerException = null)
        : base($"line {line}: {message}", innerException)
    {
        Line = line;
    }

    /// <summary>The 1-based line the problem was found on, when known.</summary>
    public int? Line { get; }

    internal static ResourceFormatException At(YamlNode node, string message) => new((int)node.Start.Line, message);
}
