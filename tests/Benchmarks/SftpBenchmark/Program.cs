using System.Diagnostics;
using System.Globalization;
using Teleport.Orleans.Ssh.Sftp;

// Copies one file with our SFTP client through OpenSSH's sftp-server on pipes (the setup `sftp -D` uses) and
// prints the seconds the copy took: `get SOURCE DESTINATION` downloads, `put SOURCE DESTINATION` uploads.
if (args.Length != 3 || args[0] is not ("get" or "put"))
{
    Console.Error.WriteLine("usage: SftpBenchmark get|put SOURCE DESTINATION");
    return 2;
}

var start = new ProcessStartInfo("/usr/lib/openssh/sftp-server") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
using var server = Process.Start(start)!;
var clock = Stopwatch.StartNew();
await using (var sftp = await SftpClient.ConnectAsync(server.StandardOutput.BaseStream, server.StandardInput.BaseStream))
{
    if (args[0] == "get")
    {
        await using var destination = File.Create(args[2]);
        await sftp.DownloadAsync(args[1], destination);
    }
    else
    {
        await using var source = File.OpenRead(args[1]);
        await sftp.UploadAsync(source, args[2]);
    }
}

var seconds = clock.Elapsed.TotalSeconds;
server.StandardInput.Close();
await server.WaitForExitAsync();
Console.WriteLine(seconds.ToString("F3", CultureInfo.InvariantCulture));
return 0;
