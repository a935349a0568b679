namespace Teleport.Orleans.Configuration;

/// <summary>teleport.join_params: how this instance proves itself when it joins the cluster.</summary>
public sealed class JoinParamsConfig
{
    /// <summary>token_name: the join token's name (its secret, for the "token" method).</summary>
    public string? TokenName { get; init; }

    /// <summary>method: the join method ("token" by default; "ec2", "iam", "kubernetes", ...).</summary>
    public string Method { get; init; } = "token";
}
