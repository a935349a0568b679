using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Win32.SafeHandles;
using Teleport.Orleans.Cli.Tsh.Profiles;
using Teleport.Orleans.Cli.Tsh.WebApi;

namespace Teleport.Orleans.Cli.Tsh;

/// <summary>What commands use from the outside world: console streams, environment, clock; tests replace them.</summary>
internal sealed class TshContext
{
    /// <summary>
    /// Command output. On Unix a writer with a 64 KiB buffer that still flushes on every write: the console's own passes
    /// 256 bytes per system call, 1,200 of them for `tsh ls` of 10,000 nodes.
    /// </summary>
    public TextWriter Out { get; init; } = OperatingSystem.IsWindows()
        ? Console.Out
        : TextWriter.Synchronized(new StreamWriter(Descriptor(1, FileAccess.Write, Console.OpenStandardOutput), new System.Text.UTF8Encoding(false), 64 * 1024) { AutoFlush = true });

    /// <summary>Messages and prompts; on Unix written to file descriptor 2 directly, as <see cref="OpenStandardInput"/> explains.</summary>
    public TextWriter Error { get; init; } = OperatingSystem.IsWindows()
        ? Console.Error
        : TextWriter.Synchronized(new StreamWriter(Descriptor(2, FileAccess.Write, Console.OpenStandardError), new System.Text.UTF8Encoding(false)) { AutoFlush = true });

    /// <summary>Standard input as text (password and OTP lines when piped).</summary>
    public TextReader In { get; init; } = Console.In;

    /// <summary>
    /// Standard input as bytes. On Unix the file descriptor itself: .NET's console stream would edit and echo lines
    /// of a terminal on its own (a second echo behind the remote one) and change the terminal's settings.
    /// </summary>
    public Func<Stream> OpenStandardInput { get; init; } = () => Descriptor(0, FileAccess.Read, Console.OpenStandardInput);

    public Func<Stream> OpenStandardOutput { get; init; } = () => Descriptor(1, FileAccess.Write, Console.OpenStandardOutput);

    public Func<Stream> OpenStandardError { get; init; } = () => Descriptor(2, FileAccess.Write, Console.OpenStandardError);

    public bool InputIsTerminal { get; init; } = !Console.IsInputRedirected;

    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    public Func<TimeSpan, CancellationToken, Task> Delay { get; init; } = Task.Delay;

    public GlobalOptions Globals { get; } = new();

    public ProfileStore Store => ProfileStore.Default(Environment);

    /// <summary>A web API client for the current login, presenting the user's X.509 certificate.</summary>
    public WebApiClient WebClient(LoggedInUser login)
    {
        var store = Store;
        X509Certificate2? certificate = null;
        var tlsFile = store.TlsCertificateFile(login.Profile);
        if (File.Exists(tlsFile))
        {
            try
            {
                certificate = X509Certificate2.CreateFromPem(File.ReadAllText(tlsFile), login.Key.ToPkcs8Pem());
            }
            catch (CryptographicException)
            {
                // Without a usable client certificate the proxy decides; its error message explains the refusal.
                certificate = null;
            }
        }

        return new WebApiClient(login.Profile.Web, login.Profile.Insecure, certificate);
    }

    /// <summary>An unbuffered stream on file descriptor <paramref name="fd"/> when it is a terminal (Linux), else the console's.</summary>
    private static Stream Descriptor(int fd, FileAccess access, Func<Stream> console)
    {
        // Only a terminal: on a file FileStream writes at its own offset (pwrite), past O_APPEND and the shared offset.
        if (!Terminal.RawTerminal.IsTerminal(fd))
        {
            return console();
        }

        try
        {
            return new FileStream(new SafeFileHandle(fd, ownsHandle: false), access, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or UnauthorizedAccessException)
        {
            // A closed descriptor (tsh 2>&-): the console's stream copes with that.
            return console();
        }
    }

    /// <summary>How a shell (OpenSSH's ProxyCommand) runs this tsh: the native program or apphost, or dotnet with the assembly.</summary>
    public static string ShellCommand()
    {
        var process = System.Environment.ProcessPath ?? "tsh";
        // Under dotnet the app's directory holds tsh.dll (Assembly.Location would be empty in a native or single-file tsh).
        var assembly = Path.Combine(AppContext.BaseDirectory, typeof(TshContext).Assembly.GetName().Name + ".dll");
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && File.Exists(assembly)
            ? $"{OpenSsh.SshConfigBlock.Quote(process)} {OpenSsh.SshConfigBlock.Quote(assembly)}"
            : OpenSsh.SshConfigBlock.Quote(process);
    }
}
