namespace Teleport.Orleans.Ssh.Sftp;

/// <summary>An open file or directory on the server; give it back to <see cref="SftpClient.CloseAsync"/>.</summary>
public sealed class SftpHandle
{
    internal SftpHandle(byte[] value, string path)
    {
        Value = value;
        Path = path;
    }

    /// <summary>The path it was opened with, for error messages.</summary>
    public string Path { get; }

    internal byte[] Value { get; }
}
