using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CoverageCheck.Service.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Tests.Data;

internal sealed class DatabaseStartupTests
{
    [Test]
    public async Task Readiness_is_unhealthy_until_migrations_are_applied()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var readiness = new DatabaseReadiness();
        var check = new DatabaseHealthCheck(readiness, db.Database);

        var before = await check.CheckHealthAsync(new HealthCheckContext());
        readiness.MarkMigrated();
        var after = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.That(before.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(after.Status, Is.EqualTo(HealthStatus.Healthy));
    }

    [Test]
    public async Task Readiness_reports_the_migration_failure()
    {
        await using var db = await TestDatabase.CreateSqliteAsync();
        var readiness = new DatabaseReadiness();
        readiness.MarkFailed("Cannot reach the SQL Server database at db:1433 (connection refused).");

        var result = await new DatabaseHealthCheck(readiness, db.Database).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(result.Description, Does.Contain("connection refused"));
        Assert.That(readiness.WhenMigrated.IsFaulted, Is.True);
    }

    [Test]
    public async Task Readiness_is_unhealthy_when_the_database_stops_answering()
    {
        var readiness = new DatabaseReadiness();
        readiness.MarkMigrated();
        using var folder = new TempFolder("startup");
        var missing = folder.Combine("absent", "x.db");
        var unreachable = new Database(Options.Create(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={missing};Mode=ReadWrite" }));

        var result = await new DatabaseHealthCheck(readiness, unreachable).CheckHealthAsync(new HealthCheckContext());

        Assert.That(result.Status, Is.EqualTo(HealthStatus.Unhealthy));
    }

    [Test]
    public void An_unreachable_SQL_Server_fails_fast_with_one_clear_sentence()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var stopwatch = Stopwatch.StartNew();

        var failure = Assert.ThrowsAsync<DatabaseUnavailableException>(() => DatabaseMigrator.ProbeSqlServerAsync(
            $"Server=tcp:127.0.0.1,{port};Database=coveragecheck;User Id=sa;Password=not-shown;TrustServerCertificate=true",
            TimeSpan.FromSeconds(3),
            default));

        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(failure!.Message, Is.EqualTo(
            $"Cannot reach the SQL Server database at 127.0.0.1:{port} (connection refused); check ConnectionStrings:CoverageCheck and that the server is running."));
        Assert.That(failure.Message, Does.Not.Contain("not-shown"));
    }

    [TestCase("tcp:db.internal,14330", true, "db.internal", 14330)]
    [TestCase("db.internal", true, "db.internal", 1433)]
    [TestCase("127.0.0.1,1433", true, "127.0.0.1", 1433)]
    [TestCase(".", true, "localhost", 1433)]
    [TestCase("db.internal\\SQLEXPRESS", false, "", 1433)]
    [TestCase("(localdb)\\MSSQLLocalDB", false, "", 1433)]
    [TestCase("np:\\\\.\\pipe\\sql\\query", false, "", 1433)]
    [TestCase("db,notaport", false, "", 0)]
    public void The_probe_targets_only_plain_tcp_endpoints(string dataSource, bool probed, string host, int port)
    {
        var result = DatabaseMigrator.TryGetTcpEndpoint(dataSource, out var actualHost, out var actualPort);

        Assert.That(result, Is.EqualTo(probed));
        if (probed)
        {
            Assert.That((actualHost, actualPort), Is.EqualTo((host, port)));
        }
    }

    [Test]
    public void A_malformed_connection_string_is_reported_without_echoing_it()
    {
        var result = new DatabaseOptionsCustomValidator().Validate(null, new DatabaseOptions
        {
            Provider = DatabaseProvider.SqlServer,
            ConnectionString = "Server=db;Password=hunter2;Bogus Keyword=1",
        });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.FailureMessage, Is.EqualTo("ConnectionStrings:CoverageCheck is not a valid SqlServer connection string."));
    }

    [Test]
    public async Task The_service_host_migrates_its_default_SQLite_database_in_the_data_folder()
    {
        using var app = new ServiceApplication();
        using var client = app.CreateClient();

        using var ready = await client.GetAsync("/health/ready");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(File.Exists(Path.Combine(app.DataDirectory, DatabaseExtensions.DefaultSqliteFileName)), Is.True);
    }
}
