using System.CommandLine;
using Teleport.Orleans.Cli.Tsh.Proxy;
using Teleport.Orleans.Cli.Tsh.Scp;
using Teleport.Orleans.Ssh.Sftp;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>tsh scp [-r] [-p PORT] SRC... DST: copies files to or from a node over SFTP through the proxy.</summary>
internal static class ScpCommand
{
    public static Command Create(TshContext context)
    {
        var paths = new Argument<string[]>("from, to") { Description = "Sources and the destination; remote ones as [login@]node:path", Arity = new ArgumentArity(2, 100000) };
        var recursive = new Option<bool>("--recursive", "-r") { Description = "Copy directories recursively" };
        var port = new Option<int>("--port", "-p", "-P") { Description = "SSH port on the node" };
        var preserve = new Option<bool>("--preserve") { Description = "Keep modification times" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print what was copied" };
        var command = new Command("scp", "Transfer files to or from a remote SSH node") { paths, recursive, port, preserve, quiet };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var all = parseResult.GetValue(paths)!.Select(ScpPath.Parse).ToList();
            var destination = all[^1];
            var sources = all[..^1];
            var remote = sources.Concat([destination]).Where(p => p.IsRemote).ToList();
            if (remote.Count == 0 || (destination.IsRemote && sources.Any(s => s.IsRemote)))
            {
                throw new TshException("Exactly one side must be remote: tsh scp FILE... login@node:path, or tsh scp login@node:path... DIR.");
            }

            if (remote.Select(r => (r.Login, r.Host)).Distinct().Count() > 1)
            {
                throw new TshException("All remote paths must be on the same node as the same login.");
            }

            var login = context.Store.RequireLogin();
            var sshLogin = remote[0].Login ?? parseResult.GetValue(context.Globals.Login) ?? context.Environment("TELEPORT_LOGIN") ?? Environment.UserName;
            var node = new NodeTarget(sshLogin, remote[0].Host!, parseResult.GetValue(port)).WithoutClusterSuffix(login.Profile.Cluster);
            var connector = new ProxyConnector(login, context.Store.HostCaKeys(login.Profile));
            await using var proxy = await connector.ConnectProxyAsync(sshLogin, cancellationToken);
            await using var client = await connector.ConnectNodeAsync(proxy, node, sshLogin, cancellationToken);
            await using var sftp = await SftpClient.ConnectAsync(client, cancellationToken);
            var transfer = new ScpTransfer(sftp, parseResult.GetValue(quiet) ? null : context.Error)
            {
                Recursive = parseResult.GetValue(recursive),
                PreserveTimes = parseResult.GetValue(preserve),
            };
            if (sources.Count > 1 && !(destination.IsRemote || Directory.Exists(destination.Path)))
            {
                throw new TshException($"Copying several files needs a directory as the destination: {destination.Path} is not one.");
            }

            foreach (var source in sources)
            {
                if (destination.IsRemote)
                {
                    await transfer.UploadAsync(source.Path, destination.Path, cancellationToken);
                }
                else
                {
                    await transfer.DownloadAsync(source.Path, destination.Path, cancellationToken);
                }
            }

            return 0;
        });
        return command;
    }
}
