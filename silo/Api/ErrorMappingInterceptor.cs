using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Backends.Core.Resilience;
using Teleport.Orleans.Contracts.Errors;
using Teleport.Orleans.Silo.Boundary;

namespace Teleport.Orleans.Silo.Api;

/// <summary>Turns domain failures into gRPC status codes with their message; unexpected faults are logged, not leaked.</summary>
internal sealed partial class ErrorMappingInterceptor(ILogger<ErrorMappingInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request,
        ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await CallDeadline.AnswerInTimeAsync(continuation(request, context), context.Deadline, TimeProvider.System);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable && ex.Status.Detail == CallDeadline.Message)
        {
            LogAnsweredBeforeDeadline(context.Method);
            throw;
        }
        catch (AuthException ex)
        {
            throw new RpcException(new Status(ToStatus(ex.Kind), ex.Message));
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
        catch (Exception ex) when ((BackendOutage.Describe(ex) ?? AuthPoolUnreachable.Describe(ex)) is { } outage)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, outage));
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            LogUnexpected(ex, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, $"internal error in {context.Method}; see the auth service log"));
        }
    }

    // Streaming calls (recording upload and download, the access-policy watch) map errors the same way.
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request,
        IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Map(ex, context);
        }
    }

    private RpcException Map(Exception ex, ServerCallContext context)
    {
        switch (ex)
        {
            case AuthException auth:
                return new RpcException(new Status(ToStatus(auth.Kind), auth.Message));
            case ArgumentException argument:
                return new RpcException(new Status(StatusCode.InvalidArgument, argument.Message));
            case var _ when (BackendOutage.Describe(ex) ?? AuthPoolUnreachable.Describe(ex)) is { } outage:
                return new RpcException(new Status(StatusCode.Unavailable, outage));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled"));
            default:
                LogUnexpected(ex, context.Method);
                return new RpcException(new Status(StatusCode.Internal, $"internal error in {context.Method}; see the auth service log"));
        }
    }

    private static StatusCode ToStatus(AuthErrorKind kind) => kind switch
    {
        AuthErrorKind.NotFound => StatusCode.NotFound,
        AuthErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        AuthErrorKind.AccessDenied => StatusCode.PermissionDenied,
        AuthErrorKind.LimitExceeded => StatusCode.ResourceExhausted,
        AuthErrorKind.Unavailable => StatusCode.Unavailable,
        _ => StatusCode.InvalidArgument,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} was still running shortly before the caller's deadline; answered Unavailable")]
    private partial void LogAnsweredBeforeDeadline(string method);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private partial void LogUnexpected(Exception exception, string method);
}
