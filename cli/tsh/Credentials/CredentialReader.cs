using System.Text;

namespace Teleport.Orleans.Cli.Tsh.Credentials;

/// <summary>
/// Asks for the password and the one-time password. On a terminal the typing is not echoed; when stdin is a pipe
/// (scripts, tests) each answer is the next line, so <c>printf 'pw\n123456\n' | tsh login ...</c> works.
/// </summary>
internal sealed class CredentialReader(TextReader input, TextWriter prompts, bool isTerminal)
{
    public string ReadSecret(string prompt)
    {
        prompts.Write(prompt);
        prompts.Flush();
        if (isTerminal)
        {
            return ReadHidden();
        }

        var line = input.ReadLine() ?? throw new TshException($"Standard input ended before the answer to '{prompt.TrimEnd(' ', ':')}'.");
        prompts.WriteLine();
        return line.TrimEnd('\r');
    }

    private string ReadHidden()
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    prompts.WriteLine();
                    return text.ToString();
                case ConsoleKey.Backspace:
                    if (text.Length > 0)
                    {
                        text.Length--;
                    }

                    break;
                default:
                    if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is ConsoleKey.C or ConsoleKey.D)
                    {
                        prompts.WriteLine();
                        throw new TshException("Cancelled.");
                    }

                    if (!char.IsControl(key.KeyChar))
                    {
                        text.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }
}
