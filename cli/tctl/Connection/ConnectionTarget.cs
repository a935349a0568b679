namespace Teleport.Orleans.Cli.Tctl.Connection;

/// <summary>Where the auth service is and which identity file proves who we are to it.</summary>
internal sealed record ConnectionTarget(string AuthServer, string IdentityPath);
