namespace Teleport.Orleans.Ssh.Connection;

/// <summary>A terminal's size as "pty-req" and "window-change" carry it (RFC 4254 §6.2, §6.7); pixels are 0 when unknown.</summary>
public readonly record struct SshWindowSize(uint Columns, uint Rows, uint WidthPixels, uint HeightPixels);
