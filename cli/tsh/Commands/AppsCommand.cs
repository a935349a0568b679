using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Teleport.Orleans.Cli.Terminal;
using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Cli.Tsh.WebApi;
using Profile = Teleport.Orleans.Cli.Tsh.Profiles.Profile;

namespace Teleport.Orleans.Cli.Tsh.Commands;

/// <summary>
/// tsh apps ls | login NAME | logout [NAME] | config NAME --format: app access with a client certificate routed to
/// one app session, kept under <c>~/.tsh/keys/PROXY/USER-app/CLUSTER/</c>.
/// </summary>
internal static class AppsCommand
{
    private static readonly string[] Formats = ["uri", "ca", "cert", "key", "curl", "json"];

    public static Command Create(TshContext context)
    {
        var apps = new Command("apps", "View and control proxied applications");
        apps.Subcommands.Add(List(context));
        apps.Subcommands.Add(Login(context));
        apps.Subcommands.Add(Logout(context));
        apps.Subcommands.Add(Config(context));
        return apps;
    }

    private static Command List(TshContext context)
    {
        var command = new Command("ls", "List the applications you can reach");
        command.SetAction(async (_, cancellationToken) =>
        {
            var login = context.Store.RequireLogin();
            using var web = context.WebClient(login);
            var list = await web.ListAppsAsync(login.Profile.Cluster, cancellationToken);
            TextTable.Write(context.Out, ["Application", "Description", "Public Address", "Labels"],
                list.OrderBy(a => a.Name, StringComparer.Ordinal).Select(app => (IReadOnlyList<string>)
                [
                    File.Exists(context.Store.AppCertificateFile(login.Profile, app.Name)) ? $"> {app.Name}" : app.Name,
                    app.Description,
                    app.PublicAddr,
                    string.Join(",", app.Labels.Select(l => $"{l.Key}={l.Value}")),
                ]));
            return 0;
        });
        return command;
    }

    private static Command Login(TshContext context)
    {
        var name = new Argument<string>("app") { Description = "Application name" };
        var command = new Command("login", "Retrieve short-lived certificate for an app") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var app = parseResult.GetValue(name)!;
            var login = context.Store.RequireLogin();
            using var web = context.WebClient(login);
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var issued = await web.AppLoginAsync(login.Profile.Cluster, app, key.ExportSubjectPublicKeyInfo(), cancellationToken);
            if (issued.TlsCertificate.Length == 0)
            {
                throw new TshException($"The proxy started an app session for {app} but issued no certificate.");
            }

            var store = context.Store;
            ProfileStore.WriteFile(store.AppKeyFile(login.Profile, app), key.ExportPkcs8PrivateKeyPem() + "\n");
            ProfileStore.WriteFile(store.AppCertificateFile(login.Profile, app), issued.TlsCertificate.TrimEnd() + "\n");
            ProfileStore.WriteFile(InfoFile(store, login.Profile, app), JsonSerializer.Serialize(new AppLoginInfo(issued.Url, issued.SessionId), AppLoginInfoJsonContext.Default.AppLoginInfo));
            await context.Out.WriteLineAsync($"Logged into app {app}. Example curl command:");
            await context.Out.WriteLineAsync();
            await context.Out.WriteLineAsync(Curl(store, login.Profile, app, issued.Url));
            return 0;
        });
        return command;
    }

    private static Command Logout(TshContext context)
    {
        var name = new Argument<string?>("app") { Description = "Application to log out of (default: all)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("logout", "Remove app certificate") { name };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var login = context.Store.RequireLogin();
            var store = context.Store;
            var directory = store.AppDirectory(login.Profile);
            var names = parseResult.GetValue(name) is { } one ? [one]
                : Directory.Exists(directory) ? Directory.GetFiles(directory, "*-x509.pem").Select(f => Path.GetFileName(f)[..^"-x509.pem".Length]).ToArray()
                : [];
            if (names.Length == 0 || (names.Length == 1 && !File.Exists(store.AppCertificateFile(login.Profile, names[0]))))
            {
                throw new TshException(parseResult.GetValue(name) is { } app ? $"Not logged into app {app}." : "Not logged into any app.");
            }

            using var web = context.WebClient(login);
            foreach (var app in names)
            {
                if (ReadInfo(store, login.Profile, app) is { } info)
                {
                    await web.AppLogoutAsync(info.SessionId, cancellationToken);
                }

                File.Delete(store.AppCertificateFile(login.Profile, app));
                File.Delete(store.AppKeyFile(login.Profile, app));
                File.Delete(InfoFile(store, login.Profile, app));
                await context.Out.WriteLineAsync($"Logged out of app {app}.");
            }

            return 0;
        });
        return command;
    }

    private static Command Config(TshContext context)
    {
        var name = new Argument<string>("app") { Description = "Application name" };
        var format = new Option<string>("--format", "-f") { Description = "Output: uri, ca, cert, key, curl or json", DefaultValueFactory = _ => "" };
        format.AcceptOnlyFromAmong([.. Formats, ""]);
        var command = new Command("config", "Print app connection information") { name, format };
        command.SetAction(async (parseResult, _) =>
        {
            var app = parseResult.GetValue(name)!;
            var login = context.Store.RequireLogin();
            var store = context.Store;
            var info = File.Exists(store.AppCertificateFile(login.Profile, app)) ? ReadInfo(store, login.Profile, app) : null;
            if (info is null)
            {
                throw new TshException($"Not logged into app {app}; run 'tsh apps login {app}' first.");
            }

            var (ca, cert, key) = (store.TlsCaFile(login.Profile), store.AppCertificateFile(login.Profile, app), store.AppKeyFile(login.Profile, app));
            var text = parseResult.GetValue(format) switch
            {
                "uri" => info.Url,
                "ca" => ca,
                "cert" => cert,
                "key" => key,
                "curl" => Curl(store, login.Profile, app, info.Url),
                "json" => JsonSerializer.Serialize(new AppConfigJson(app, info.Url, ca, cert, key, Curl(store, login.Profile, app, info.Url)), CommandOutputJsonContext.Default.AppConfigJson),
                _ => $"Name:      {app}\nURI:       {info.Url}\nCA:        {ca}\nCert:      {cert}\nKey:       {key}\nExpires:   {Expires(cert)}",
            };
            await context.Out.WriteLineAsync(text);
            return 0;
        });
        return command;
    }

    private static string Curl(ProfileStore store, Profile profile, string app, string url) =>
        $"curl \\\n  --cert {store.AppCertificateFile(profile, app)} \\\n  --key {store.AppKeyFile(profile, app)} \\\n"
        + (profile.Insecure ? "  --insecure \\\n" : "") + $"  {url}";

    private static string Expires(string certificateFile)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile));
            return certificate.NotAfter.ToUniversalTime().ToString("u", System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or CryptographicException)
        {
            return "unknown";
        }
    }

    private static string InfoFile(ProfileStore store, Profile profile, string app) => Path.Combine(store.AppDirectory(profile), $"{app}.json");

    private static AppLoginInfo? ReadInfo(ProfileStore store, Profile profile, string app)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(InfoFile(store, profile, app)), AppLoginInfoJsonContext.Default.AppLoginInfo);
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }
}
