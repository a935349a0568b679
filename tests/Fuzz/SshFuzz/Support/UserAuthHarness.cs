using System.Net;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging.Abstractions;
using Teleport.Orleans.Ssh.Authentication;
using Teleport.Orleans.Ssh.Certificates;
using Teleport.Orleans.Ssh.Keys;
using Teleport.Orleans.Ssh.Transport;

namespace Teleport.Orleans.Ssh.Fuzz.Support;

/// <summary>
/// Runs one USERAUTH_REQUEST through the server's real <see cref="UserAuthService"/> code: the request parser,
/// key and certificate parsing, signature verification, the application callback, and the PK_OK / FAILURE replies
/// (written through a transport over <see cref="Stream.Null"/> with the plain cipher, as no key exchange is needed).
/// </summary>
/// <remarks>
/// The per-request steps are private methods of <see cref="UserAuthService"/> (its loop needs a completed key
/// exchange), so they are reached by reflection rather than by widening the library's API for the harness.
/// If they are renamed, the corpus replay test in Ssh.Tests fails with the message below.
/// </remarks>
public sealed class UserAuthHarness
{
    private const BindingFlags Private = BindingFlags.Instance | BindingFlags.NonPublic;

    private static readonly MethodInfo HandleRequest = Find("HandleRequestAsync");
    private static readonly MethodInfo Fail = Find("FailAsync");
    private static readonly IPEndPoint Remote = new(IPAddress.Loopback, 40022);

    private readonly SshTransport _transport;

    public UserAuthHarness()
    {
        var hostKey = Ed25519PrivateKey.FromSeed(new byte[32]);
        var settings = new TransportSettings
        {
            KeyExchangeAlgorithms = ["curve25519-sha256"],
            Ciphers = ["aes256-gcm@openssh.com"],
            Macs = ["hmac-sha2-256-etm@openssh.com"],
        };
        var keyExchange = new ServerKeyExchange(new HostKeySet([hostKey], []), PublicKeyAlgorithms.SignatureAlgorithms);
        _transport = new SshTransport(Stream.Null, settings, keyExchange, NullLogger.Instance);
    }

    /// <summary>The user the callback accepts plain keys for; certificates are checked against their own CA.</summary>
    public const string AcceptedUser = "alice";

    /// <summary>
    /// What <see cref="UserAuthService"/>'s loop does with one USERAUTH_REQUEST payload; returns the outcome
    /// (Success, KeyAcceptable or Failure) so tests can check that the seeds reach deep.
    /// </summary>
    public string Run(byte[] payload)
    {
        var service = new UserAuthService(_transport, Authenticate, int.MaxValue, Remote, NullLogger.Instance);
        var handled = Invoke(HandleRequest, service, payload);
        var outcome = handled.GetType().GetProperty("Result")!.GetValue(handled)!;
        var kind = outcome.GetType().GetField("Item1")!.GetValue(outcome)!.ToString();
        if (kind == "Failure")
        {
            Invoke(Fail, service, payload);
        }

        return kind!;
    }

    private static Task Invoke(MethodInfo method, UserAuthService service, byte[] payload)
    {
        Task task;
        try
        {
            task = (Task)method.Invoke(service, [payload, CancellationToken.None])!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }

        // Nothing here waits on I/O that could stay pending; this rethrows the method's own exception.
        task.GetAwaiter().GetResult();
        return task;
    }

    private static ValueTask<SshAuthenticationResult> Authenticate(SshAuthenticationRequest request, CancellationToken cancellationToken)
    {
        _ = request.ToString();
        if (request.Certificate is { } certificate)
        {
            var validator = new SshCertificateValidator([certificate.SignatureKey], TimeSpan.FromMinutes(1), FixedClock.Instance);
            var result = validator.ValidateUser(certificate, request.UserName, request.RemoteAddress);
            return ValueTask.FromResult(result.IsValid ? SshAuthenticationResult.Accept(result.ForceCommand) : SshAuthenticationResult.Reject(result.Reason));
        }

        return ValueTask.FromResult(request.UserName == AcceptedUser
            ? SshAuthenticationResult.Accept()
            : SshAuthenticationResult.Reject("not alice"));
    }

    private static MethodInfo Find(string name) =>
        typeof(UserAuthService).GetMethod(name, Private, [typeof(byte[]), typeof(CancellationToken)])
        ?? throw new MissingMethodException(
            $"UserAuthService.{name}(byte[], CancellationToken) is gone: update tests/Fuzz/SshFuzz/Support/UserAuthHarness.cs to the new per-request method.");
}
