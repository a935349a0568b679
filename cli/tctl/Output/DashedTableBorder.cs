using Spectre.Console;
using Spectre.Console.Rendering;

namespace Teleport.Orleans.Cli.Tctl.Output;

/// <summary>Teleport's plain table look: a dashed line under the headers, columns split by a space, no frame.</summary>
internal sealed class DashedTableBorder : TableBorder
{
    public override string GetPart(TableBorderPart part) => part switch
    {
        TableBorderPart.HeaderBottom => "-",
        TableBorderPart.HeaderBottomSeparator or TableBorderPart.HeaderSeparator or TableBorderPart.CellSeparator => " ",
        _ => "",
    };
}
