namespace Teleport.Orleans.Configuration;

/// <summary>teleport.log.format.output: human-readable text or one JSON object per line.</summary>
public enum LogOutputFormat
{
    Text,
    Json,
}
