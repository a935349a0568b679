using Teleport.Orleans.Ssh.Fuzz.Support;
using Teleport.Orleans.Ssh.Fuzz.Targets;

namespace Teleport.Orleans.Ssh.Tests.Fuzz;

/// <summary>
/// Every fuzz seed and every fixed crash replayed through its target in-process, so a regression shows up in the
/// unit tests without AFL (tests/Fuzz/fuzz.sh does the fuzzing itself).
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    public static TheoryData<string> Targets => [.. FuzzTargets.All.Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Seeds_and_fixed_crashes_run_without_crashing(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var seeds = FuzzInputs.Seeds(name);
        Assert.NotEmpty(seeds);

        var failures = new List<string>();
        foreach (var file in seeds.Concat(FuzzInputs.FixedCrashes(name)))
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                failures.Add($"{Path.GetRelativePath(FuzzInputs.FuzzDirectory, file)}: {ex}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    [Fact]
    public void Every_corpus_folder_belongs_to_a_target()
    {
        var folders = Directory.GetDirectories(Path.Combine(FuzzInputs.FuzzDirectory, "corpus")).Select(Path.GetFileName).Order();
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(), folders);
    }

    /// <summary>The userauth seeds must reach the end of the authentication code, not stop at a parse error.</summary>
    [Fact]
    public void Userauth_seeds_reach_the_outcomes_they_were_made_for()
    {
        var harness = new UserAuthHarness();
        foreach (var file in FuzzInputs.Seeds("userauth"))
        {
            var name = Path.GetFileName(file);
            var expected = name.EndsWith("-signed", StringComparison.Ordinal) ? "Success"
                : name.EndsWith("-query", StringComparison.Ordinal) ? "KeyAcceptable"
                : "Failure";
            Assert.True(expected == harness.Run(File.ReadAllBytes(file)), $"{name} should end in {expected}");
        }
    }
}
