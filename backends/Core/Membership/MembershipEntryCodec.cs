using System.Globalization;
using System.Text;
using System.Text.Json;
using Orleans;
using Orleans.Runtime;

namespace Teleport.Orleans.Backends.Core.Membership;

/// <summary>
/// A membership entry as readable JSON, so that an operator can inspect the table with the backend's own tools and
/// the rows do not depend on Orleans' binary serializer version. The address and the alive time live in their own
/// columns (<see cref="MembershipRecord"/>).
/// </summary>
public static class MembershipEntryCodec
{
    public static MembershipRecord ToRecord(MembershipEntry entry) =>
        new(entry.SiloAddress.ToParsableString(), Encode(entry), ToUtc(entry.IAmAliveTime));

    public static MembershipEntry FromRecord(MembershipRecord record)
    {
        using var document = JsonDocument.Parse(record.Entry);
        var root = document.RootElement;
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.FromParsableString(record.Silo),
            Status = Enum.Parse<SiloStatus>(root.GetProperty("status").GetString()!),
            SuspectTimes = [.. root.GetProperty("suspectTimes").EnumerateArray().Select(vote => Tuple.Create(
                SiloAddress.FromParsableString(vote.GetProperty("silo").GetString()!),
                ParseTime(vote.GetProperty("time"))))],
            ProxyPort = root.GetProperty("proxyPort").GetInt32(),
            HostName = root.GetProperty("hostName").GetString() ?? "",
            SiloName = root.GetProperty("siloName").GetString() ?? "",
            RoleName = root.GetProperty("roleName").GetString() ?? "",
            UpdateZone = root.GetProperty("updateZone").GetInt32(),
            FaultZone = root.GetProperty("faultZone").GetInt32(),
            StartTime = ParseTime(root.GetProperty("startTime")),
            IAmAliveTime = ToUtc(record.IAmAliveTime),
        };
    }

    /// <summary>The latest of the heartbeat, the start and the suspicion votes: when a row was last known to change.</summary>
    public static DateTime LastUpdate(MembershipEntry entry)
    {
        var latest = new[] { ToUtc(entry.IAmAliveTime), ToUtc(entry.StartTime) }.Max();
        foreach (var vote in entry.SuspectTimes ?? [])
        {
            latest = ToUtc(vote.Item2) > latest ? ToUtc(vote.Item2) : latest;
        }

        return latest;
    }

    /// <summary>Orleans stamps entries with <c>DateTime.UtcNow</c>; an unspecified kind is taken as UTC too.</summary>
    public static DateTime ToUtc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Utc => time,
        DateTimeKind.Local => time.ToUniversalTime(),
        _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
    };

    private static string Encode(MembershipEntry entry)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", entry.Status.ToString());
            json.WriteStartArray("suspectTimes");
            foreach (var (silo, time) in entry.SuspectTimes ?? [])
            {
                json.WriteStartObject();
                json.WriteString("silo", silo.ToParsableString());
                json.WriteString("time", FormatTime(time));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteNumber("proxyPort", entry.ProxyPort);
            json.WriteString("hostName", entry.HostName);
            json.WriteString("siloName", entry.SiloName);
            json.WriteString("roleName", entry.RoleName);
            json.WriteNumber("updateZone", entry.UpdateZone);
            json.WriteNumber("faultZone", entry.FaultZone);
            json.WriteString("startTime", FormatTime(entry.StartTime));
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string FormatTime(DateTime time) => ToUtc(time).ToString("O", CultureInfo.InvariantCulture);

    private static DateTime ParseTime(JsonElement element) =>
        DateTime.Parse(element.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
