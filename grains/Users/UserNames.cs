using System.Text.RegularExpressions;
using Teleport.Orleans.Contracts.Errors;

namespace Teleport.Orleans.Grains.Users;

internal static partial class UserNames
{
    public static void Validate(string name)
    {
        if (!ValidName().IsMatch(name))
        {
            throw AuthException.BadParameter(
                $"invalid user name \"{name}\": use 1-128 letters, digits and . _ @ + - starting with a letter or digit");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")]
    private static partial Regex ValidName();
}
