namespace Teleport.Orleans.Ssh.Connection;

/// <summary>The standard streams of a session channel.</summary>
public sealed class SshSessionStreams
{
    internal SshSessionStreams(Stream input, Stream output, Stream error)
    {
        Input = input;
        Output = output;
        Error = error;
    }

    /// <summary>Channel data from the client (stdin); reads return 0 after the client's EOF.</summary>
    public Stream Input { get; }

    /// <summary>Channel data to the client (stdout). Writes wait for the client's window.</summary>
    public Stream Output { get; }

    /// <summary>Extended data of type 1 (stderr) to the client.</summary>
    public Stream Error { get; }
}
