using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CoverageCheck.Service.Commands;
using CoverageCheck.Service.Tests.Pages;
using Microsoft.Extensions.Configuration;

namespace CoverageCheck.Service.Tests.Commands;

internal sealed class CommandLineTests
{
    private static readonly string[] s_commandNames = ["keys", "users", "batch", "phi"];

    /// <summary>
    /// The built executable, as an operator runs it, with everything the service needs to start and a free port: a
    /// help or mistyped command must exit by itself with nothing listening, where the web host would run until stopped.
    /// </summary>
    [TestCase("--help", 0, Description = "Issue 13")]
    [TestCase("-h", 0, Description = "Issue 13")]
    [TestCase("help", 0, Description = "Issue 13")]
    [TestCase("frobnicate", CommandLine.UsageExitCode, Description = "Issue 13")]
    public async Task Help_and_unknown_commands_exit_without_starting_the_service(string argument, int expectedExit)
    {
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "coveragecheck-tests", Guid.NewGuid().ToString("N"));
        var root = PagesHost.RepositoryRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(root, "src", "Service"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, "src", "Service", "bin", configuration, "net10.0", "CoverageCheck.Service.dll"));
        start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Data__Directory"] = dataDirectory;
        start.Environment["Phi__Key"] = TestHostSettings.PhiKey;
        start.Environment["Verification__ReverifySchedule"] = "off";

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var exited = true;
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            exited = false;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        finally
        {
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
        }

        var (stdout, stderr) = (await output, await error);
        Assert.That(exited, Is.True, $"'{argument}' started the service instead of exiting:\n{stdout}");
        Assert.That(process.ExitCode, Is.EqualTo(expectedExit), stderr);
        Assert.That(stdout, Does.Not.Contain("Now listening"));
        if (expectedExit == 0)
        {
            Assert.That(s_commandNames.Where(name => !stdout.Contains($"\n  {name} ", StringComparison.Ordinal)), Is.Empty, stdout);
        }
        else
        {
            Assert.That(stderr, Does.Contain("'frobnicate'").And.Contain("--help"));
        }
    }

    [Test(Description = "Issue 13")]
    public async Task Every_help_form_prints_its_usage_and_exits_zero()
    {
        string[] forms =
        [
            "--help", "-h", "-?", "help",
            "keys --help", "keys add --help", "keys list --help", "help keys add",
            "users --help", "users add --help",
            "batch --help", "batch run --help", "batch report --help",
            "phi --help", "phi rekey --help",
        ];

        using (Assert.EnterMultipleScope())
        {
            foreach (var form in forms)
            {
                var args = form.Split(' ');
                var (exit, output, error) = await RunAsync(args);
                Assert.That(CommandLine.IsCommand(args), Is.True, $"{form} goes to the web host");
                Assert.That((exit, error), Is.EqualTo((0, "")), form);
                Assert.That(output, Does.Contain("Usage:"), form);
            }
        }

        var (_, root, _) = await RunAsync("--help");
        foreach (var name in s_commandNames)
        {
            Assert.That(root, Does.Match($@"\n  {name} +\S"), $"the root help lists {name} with its one-line description");
        }
    }

    [TestCase("frobnicate", Description = "Issue 13")]
    [TestCase("kes|list", Description = "Issue 13")]
    [TestCase("keys", Description = "Issue 13")]
    [TestCase("keys|bogus", Description = "Issue 13")]
    [TestCase("keys|add|front-desk", Description = "Issue 13")]
    [TestCase("users|add|ana|--role|superuser", Description = "Issue 13")]
    [TestCase("phi|rekey|--lookup-key-id|two", Description = "Issue 13")]
    public async Task Unknown_commands_and_bad_arguments_print_a_short_error_and_exit_2(string args)
    {
        var arguments = args.Split('|');

        var (exit, output, error) = await RunAsync(arguments);

        Assert.That(CommandLine.IsCommand(arguments), Is.True, "a bare word is never a web host argument");
        Assert.That(exit, Is.EqualTo(CommandLine.UsageExitCode));
        Assert.That(output, Is.Empty, "the error goes to standard error, without the whole help text");
        Assert.That(error, Does.Contain("--help' for usage."));
        Assert.That(error.Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.LessThanOrEqualTo(6));
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Directory"] = Path.Combine(Path.GetTempPath(), "coveragecheck-tests", "unused") })
            .Build();
        using var output = new StringWriter { NewLine = "\n" };
        using var error = new StringWriter { NewLine = "\n" };
        var exit = await CommandLine.RunAsync(args, configuration, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
