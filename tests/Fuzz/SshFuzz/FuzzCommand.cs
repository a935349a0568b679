using SharpFuzz;
using Teleport.Orleans.Ssh.Fuzz.Seeds;
using Teleport.Orleans.Ssh.Fuzz.Targets;

namespace Teleport.Orleans.Ssh.Fuzz;

/// <summary>The command line of the fuzzing harness (see tests/Fuzz/fuzz.sh).</summary>
internal static class FuzzCommand
{
    private const string Usage = """
        usage: SshFuzz fuzz TARGET            run under afl-fuzz (one input per execution, from AFL)
               SshFuzz replay TARGET PATH...  run files (or every file in directories) in-process; exit 1 on a crash
               SshFuzz seeds DIR              write the library-generated seed files to DIR/<target>/
               SshFuzz list                   print the target names
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        switch (args)
        {
            case ["list"]:
                foreach (var target in FuzzTargets.All)
                {
                    Console.WriteLine(target.Name);
                }

                return 0;
            case ["fuzz", var name] when FuzzTargets.Find(name) is { } target:
                Fuzzer.OutOfProcess.Run(stream =>
                {
                    using var buffer = new MemoryStream();
                    stream.CopyTo(buffer);
                    target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
                });
                return 0;
            case ["replay", var name, .. var paths] when FuzzTargets.Find(name) is { } target && paths.Length > 0:
                return Replay(target, paths);
            case ["seeds", var directory]:
                await SeedWriter.WriteAllAsync(directory);
                return 0;
            default:
                await Console.Error.WriteLineAsync(Usage);
                return 2;
        }
    }

    private static int Replay(IFuzzTarget target, string[] paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]).Order(StringComparer.Ordinal).ToList();
        var crashes = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                crashes++;
                Console.WriteLine($"CRASH {target.Name} {file}:\n{ex}\n");
            }
        }

        Console.WriteLine($"{target.Name}: {files.Count} inputs, {crashes} crashes");
        return crashes == 0 ? 0 : 1;
    }
}
