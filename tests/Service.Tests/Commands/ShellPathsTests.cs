using CoverageCheck.Service.Commands;

namespace CoverageCheck.Service.Tests.Commands;

internal sealed class ShellPathsTests
{
    [Test]
    public void A_relative_path_means_the_folder_the_operator_typed_the_command_in()
    {
        var file = new FileInfo(Path.Combine("/repo/src/Service", "samples/census/census-small.csv"));

        var resolved = ShellPaths.FromShell(file, shellDirectory: "/repo", currentDirectory: "/repo/src/Service");

        Assert.That(resolved.FullName, Is.EqualTo("/repo/samples/census/census-small.csv"));
    }

    [Test]
    public void A_path_outside_the_current_folder_is_left_alone()
    {
        var file = new FileInfo("/tmp/census.csv");

        Assert.That(ShellPaths.FromShell(file, "/repo", "/repo/src/Service").FullName, Is.EqualTo("/tmp/census.csv"));
    }

    [TestCase(null)]
    [TestCase("/repo/src/Service")]
    public void Without_a_different_shell_folder_nothing_changes(string? shell)
    {
        var file = new FileInfo("/repo/src/Service/report.xlsx");

        Assert.That(ShellPaths.FromShell(file, shell, "/repo/src/Service").FullName, Is.EqualTo("/repo/src/Service/report.xlsx"));
    }
}
