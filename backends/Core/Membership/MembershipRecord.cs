namespace Teleport.Orleans.Backends.Core.Membership;

/// <summary>One silo's row.</summary>
/// <param name="Silo">The silo address in Orleans' parsable form (<c>ip:port@generation</c>), the row's key.</param>
/// <param name="Entry">The rest of the membership entry, as JSON (<see cref="MembershipEntryCodec"/>).</param>
/// <param name="IAmAliveTime">The silo's last heartbeat (UTC), kept apart so a heartbeat touches nothing else.</param>
/// <param name="ETag">The row's ETag as the store issued it; empty on a record being written.</param>
public sealed record MembershipRecord(string Silo, string Entry, DateTime IAmAliveTime, string ETag = "");
