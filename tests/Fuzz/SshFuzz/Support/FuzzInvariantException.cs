namespace Teleport.Orleans.Ssh.Fuzz.Support;

/// <summary>A property the library promises (a round-trip, a bound) failed for an accepted input: reported as a crash.</summary>
public sealed class FuzzInvariantException(string message) : Exception(message)
{
    public static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new FuzzInvariantException(message);
        }
    }
}
