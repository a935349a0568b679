using System.CommandLine;
using Teleport.Orleans.Cli.Tctl.Output;
using Teleport.Orleans.Cli.Tctl.Parsing;
using Teleport.Orleans.Contracts.Api;
using Teleport.Orleans.Ssh.Keys;

namespace Teleport.Orleans.Cli.Tctl.Commands;

/// <summary>tctl auth export|sign: CA public keys and user credentials.</summary>
internal static class AuthCommand
{
    private static readonly TimeSpan DefaultCertTtl = TimeSpan.FromHours(12);

    public static Command Create(TctlContext context)
    {
        var auth = new Command("auth", "Operations with user and host certificate authorities");
        auth.Subcommands.Add(Export(context));
        auth.Subcommands.Add(Sign(context));
        return auth;
    }

    private static Command Export(TctlContext context)
    {
        var type = new Option<string?>("--type") { Description = "Certificate authority to export: user, host or tls (default: user and host)" };
        var command = new Command("export", "Export public cluster CA keys to stdout") { type };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var requested = parseResult.GetValue(type)?.Trim().ToLowerInvariant();
            string[] types = string.IsNullOrEmpty(requested) ? ["user", "host"] : [requested];
            using var session = context.Connect(parseResult);
            var output = context.Out(parseResult);
            foreach (var caType in types)
            {
                var response = await session.Client.ExportAuthoritiesAsync(new ExportAuthoritiesRequest { Type = caType }, cancellationToken: cancellationToken);
                await output.WriteAsync(response.Text.EndsWith('\n') || response.Text.Length == 0 ? response.Text : response.Text + "\n");
            }

            return 0;
        });
        return command;
    }

    private static Command Sign(TctlContext context)
    {
        var user = new Option<string>("--user") { Description = "Teleport user name", Required = true };
        var ttl = Options.Duration("--ttl", "Time to live of the certificates", DefaultCertTtl);
        var format = Options.Choice("--format", "Output format", "file", "file", "openssh");
        var output = new Option<string>("--out", "-o") { Description = "Identity output path (openssh: key path; the certificate goes to PATH-cert.pub)", Required = true };
        var overwrite = new Option<bool>("--overwrite") { Description = "Overwrite existing files" };
        var command = new Command("sign", "Create an identity file or OpenSSH key and certificate for a user") { user, ttl, format, output, overwrite };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetRequiredValue(output);
            var outputFormat = parseResult.GetRequiredValue(format);
            var files = outputFormat == "openssh" ? [path, path + "-cert.pub"] : new[] { path };
            if (!parseResult.GetValue(overwrite) && files.FirstOrDefault(File.Exists) is { } existing)
            {
                throw new TctlException($"{existing} already exists; pass --overwrite to replace it");
            }

            // The key never leaves this process: only its public halves go to the auth service.
            using var key = SshPrivateKey.Generate(SshKeyType.EcdsaP256);
            using var session = context.Connect(parseResult);
            var certificates = await session.Client.GenerateUserCertsAsync(
                new GenerateUserCertsRequest
                {
                    User = parseResult.GetRequiredValue(user),
                    SshPublicKey = key.PublicKey.ToAuthorizedKeysLine(),
                    TlsPublicKey = Google.Protobuf.ByteString.CopyFrom(key.ExportSubjectPublicKeyInfo()),
                    TtlSeconds = (long)Math.Ceiling(ttl.ValueOf(parseResult).TotalSeconds),
                },
                cancellationToken: cancellationToken);

            CredentialWriter.Write(outputFormat, path, key.ToPkcs8Pem(), certificates);
            var writer = context.Out(parseResult);
            await writer.WriteLineAsync();
            await writer.WriteLineAsync($"The credentials have been written to {string.Join(", ", files)}");
            return 0;
        });
        return command;
    }
}
