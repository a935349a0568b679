using System.CommandLine;
using Teleport.Orleans.Access.Resources;

namespace Teleport.Orleans.Cli.Tctl.Parsing;

/// <summary>
/// A Go-syntax duration flag (30m, 1h30m). The default is applied on read rather than through
/// DefaultValueFactory so help shows "30m" instead of TimeSpan's "00:30:00".
/// </summary>
internal sealed class DurationOption : Option<TimeSpan?>
{
    public DurationOption(string name, string description, TimeSpan defaultValue)
        : base(name)
    {
        Default = defaultValue;
        Description = $"{description} (default {DurationText.Short(defaultValue)})";
        HelpName = "duration";
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (GoDuration.TryParse(text, out var value) && value > TimeSpan.Zero)
            {
                return value;
            }

            result.AddError($"{name}: invalid duration \"{text}\"; use Go syntax such as 30m, 1h or 1h30m");
            return null;
        };
    }

    public TimeSpan Default { get; }

    public TimeSpan ValueOf(ParseResult parseResult) => parseResult.GetValue(this) ?? Default;
}
