using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Teleport.Orleans.Contracts.Errors;

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
            return await continuation(request, context);
        }
        catch (AuthException ex)
        {
            throw new RpcException(new Status(ToStatus(ex.Kind), ex.Message));
        }
        catch (ArgumentException ex)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, ex.Message));
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            LogUnexpected(ex, context.Method);
            throw new RpcException(new Status(StatusCode.Internal, $"internal error in {context.Method}; see the auth service log"));
        }
    }

    private static StatusCode ToStatus(AuthErrorKind kind) => kind switch
    {
        AuthErrorKind.NotFound => StatusCode.NotFound,
        AuthErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        AuthErrorKind.AccessDenied => StatusCode.PermissionDenied,
        AuthErrorKind.LimitExceeded => StatusCode.ResourceExhausted,
        _ => StatusCode.InvalidArgument,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected failure in {Method}")]
    private partial void LogUnexpected(Exception exception, string method);
}
