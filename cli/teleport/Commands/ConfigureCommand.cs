using System.CommandLine;
using Teleport.Orleans.Configuration;

namespace Teleport.Orleans.Cli.Teleport.Commands;

/// <summary><c>teleport configure</c>: prints a commented sample teleport.yaml, or writes it with --output.</summary>
internal static class ConfigureCommand
{
    public static Command Create()
    {
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the sample to this file instead of standard output" };
        var command = new Command("configure", "Print a sample teleport.yaml with every setting explained") { output };
        command.SetAction(parseResult =>
        {
            if (parseResult.GetValue(output) is { } file)
            {
                File.WriteAllText(file.FullName, SampleConfig.Text);
                Console.Out.WriteLine($"Wrote a sample configuration to {file.FullName}");
                return;
            }

            Console.Out.Write(SampleConfig.Text);
        });
        return command;
    }
}
