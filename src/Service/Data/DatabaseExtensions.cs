using CoverageCheck.Service.Features.Verifications;
using CoverageCheck.Service.Infrastructure;
using CoverageCheck.Service.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CoverageCheck.Service.Data;

internal static class DatabaseExtensions
{
    public const string DefaultSqliteFileName = "coveragecheck.db";

    /// <summary>
    /// The database: options, connection factory, migrations at start-up with a readiness check, and the query classes
    /// (<see cref="VerificationStore"/>, <see cref="AuditStore"/>).
    /// </summary>
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        DapperTypeHandlers.Register();
        var services = builder.Services;
        services.AddDataDirectory();

        services.AddOptionsWithValidateOnStart<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .Configure<IConfiguration, DataDirectory>((options, configuration, dataDirectory) =>
            {
                options.ConnectionString = configuration.GetConnectionString(DatabaseOptions.ConnectionStringName);
                if (string.IsNullOrWhiteSpace(options.ConnectionString) && options.Provider == DatabaseProvider.Sqlite)
                {
                    options.ConnectionString = $"Data Source={dataDirectory.File(DefaultSqliteFileName)}";
                }
            });
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsCustomValidator>();

        services.AddSingleton<Database>();
        services.AddSingleton<IDbConnectionFactory>(sp => sp.GetRequiredService<Database>());
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<DatabaseMigrator>();
        services.AddSingleton<DatabaseReadiness>();
        services.AddHostedService<DatabaseMigrationService>();
        services.AddSingleton<VerificationStore>();
        services.AddSingleton<VerificationQueue>();
        services.AddSingleton<AuditStore>();

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ServiceDefaults.ReadyTag]);
        return builder;
    }

    /// <summary>Registers <see cref="DataDirectory"/> from <c>Data:Directory</c> (resolved when first used, so test hosts can set it).</summary>
    public static IServiceCollection AddDataDirectory(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => DataDirectory.From(sp.GetRequiredService<IConfiguration>()).EnsureExists());
        return services;
    }
}
