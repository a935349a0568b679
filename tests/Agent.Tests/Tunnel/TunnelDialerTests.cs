using System.Text;
using Teleport.Orleans.Agent.Tunnel;

namespace Teleport.Orleans.Agent.Tests.Tunnel;

/// <summary>The proxy's certificate line at the start of a node tunnel, and the SSH bytes that follow it.</summary>
public sealed class TunnelDialerTests
{
    [Fact]
    public async Task Ssh_bytes_that_came_in_the_same_read_as_the_certificate_line_still_reach_the_ssh_server()
    {
        using var proxy = new MemoryStream(Encoding.ASCII.GetBytes("ssh-ed25519-cert-v01@openssh.com AAAA proxy\nSSH-2.0-Teleport\r\n"));

        var (line, rest) = await TunnelDialer.ReadLineAsync(proxy, CancellationToken.None);

        Assert.Equal("ssh-ed25519-cert-v01@openssh.com AAAA proxy", line);
        Assert.Equal("SSH-2.0-Teleport\r\n", await new StreamReader(rest, Encoding.ASCII).ReadToEndAsync());
    }

    [Fact]
    public async Task Certificate_line_that_arrives_a_byte_at_a_time_is_read_whole()
    {
        var certificate = "ssh-ed25519-cert-v01@openssh.com " + new string('A', 5000) + " proxy";
        using var proxy = new Trickle(Encoding.ASCII.GetBytes(certificate + "\nSSH-2.0-Teleport\r\n"));

        var (line, rest) = await TunnelDialer.ReadLineAsync(proxy, CancellationToken.None);

        Assert.Equal(certificate, line);
        Assert.Equal("SSH-2.0-Teleport\r\n", await new StreamReader(rest, Encoding.ASCII).ReadToEndAsync());
    }

    [Fact]
    public async Task Queued_lines_the_proxy_sends_while_the_agent_waits_in_line_are_skipped()
    {
        using var proxy = new Trickle(Encoding.ASCII.GetBytes(
            "teleport-tunnel/1 queued\nteleport-tunnel/1 queued\nssh-ed25519-cert-v01@openssh.com AAAA proxy\nSSH-2.0-Teleport\r\n"));

        var (line, rest) = await TunnelDialer.ReadLineAsync(proxy, CancellationToken.None);

        Assert.Equal("ssh-ed25519-cert-v01@openssh.com AAAA proxy", line);
        Assert.Equal("SSH-2.0-Teleport\r\n", await new StreamReader(rest, Encoding.ASCII).ReadToEndAsync());
    }

    [Fact]
    public async Task Queued_lines_and_the_certificate_line_in_one_read_are_told_apart()
    {
        using var proxy = new MemoryStream(Encoding.ASCII.GetBytes(
            "teleport-tunnel/1 queued\nteleport-tunnel/1 queued\nteleport-tunnel/1 busy\n"));

        var (line, _) = await TunnelDialer.ReadLineAsync(proxy, CancellationToken.None);

        Assert.Equal(TunnelDialer.BusyLine, line);
    }

    [Fact]
    public async Task Line_longer_than_16_KiB_is_refused()
    {
        using var proxy = new MemoryStream(Encoding.ASCII.GetBytes(new string('A', 20000) + "\n"));

        var refused = await Assert.ThrowsAsync<IOException>(() => TunnelDialer.ReadLineAsync(proxy, CancellationToken.None));

        Assert.Equal("the proxy's certificate line is too long", refused.Message);
    }

    [Fact]
    public async Task Tunnel_closed_before_the_line_ends_is_reported_as_such()
    {
        using var proxy = new MemoryStream(Encoding.ASCII.GetBytes("ssh-ed25519-cert-v01@openssh.com AAAA"));

        var refused = await Assert.ThrowsAsync<IOException>(() => TunnelDialer.ReadLineAsync(proxy, CancellationToken.None));

        Assert.Equal("the proxy closed the tunnel before sending its certificate", refused.Message);
    }

    /// <summary>A stream that returns one byte per read, as a slow network can.</summary>
    private sealed class Trickle(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(1, count));
    }
}
