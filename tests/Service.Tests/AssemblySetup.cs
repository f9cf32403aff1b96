using CoverageCheck.Service.Data;

// Fixtures run side by side (NUnit's default of one worker per core); the tests of one fixture run one after another.
// Every fixture owns its hosts, data folders (TempFolder), databases and ports, so none waits for another; the few
// that measure the whole process or drive a browser say [NonParallelizable].
[assembly: Parallelizable(ParallelScope.Fixtures)]

namespace CoverageCheck.Service.Tests;

/// <summary>Once per test run, before any fixture.</summary>
[SetUpFixture]
internal sealed class AssemblySetup
{
    /// <summary>
    /// Dapper's type handlers are process-wide, and <see cref="DapperTypeHandlers.Register"/> lets a second caller
    /// return while the first is still registering; registered here, no two fixtures starting at once can race for it.
    /// </summary>
    [OneTimeSetUp]
    public void RegisterDapperTypeHandlers() => DapperTypeHandlers.Register();
}
