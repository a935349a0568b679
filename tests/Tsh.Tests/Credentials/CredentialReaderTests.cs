using Teleport.Orleans.Cli.Tsh;
using Teleport.Orleans.Cli.Tsh.Credentials;

namespace Teleport.Orleans.Tsh.Tests.Credentials;

public sealed class CredentialReaderTests
{
    [Fact]
    public void Piped_answers_are_read_one_line_each()
    {
        var prompts = new StringWriter();
        var reader = new CredentialReader(new StringReader("s3cret pass\r\n123456\n"), prompts, isTerminal: false);

        var password = reader.ReadSecret("Enter password: ");
        var otp = reader.ReadSecret("Enter your OTP token: ");

        Assert.Equal("s3cret pass", password);
        Assert.Equal("123456", otp);
        Assert.Contains("Enter password: ", prompts.ToString());
        Assert.DoesNotContain("s3cret", prompts.ToString());
    }

    [Fact]
    public void Input_that_ends_early_is_a_clear_error()
    {
        var reader = new CredentialReader(new StringReader("only-password\n"), new StringWriter(), isTerminal: false);
        reader.ReadSecret("Enter password: ");

        var error = Assert.Throws<TshException>(() => reader.ReadSecret("Enter your OTP token: "));

        Assert.Contains("Enter your OTP token", error.Message);
    }
}
