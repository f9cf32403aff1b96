using System.Xml.Linq;
using CoverageCheck.Service.Data;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace CoverageCheck.Service.Security;

/// <summary>
/// ASP.NET Core Data Protection (the staff session and antiforgery cookies) keeps its key ring in the database
/// (<see cref="DatabaseXmlRepository"/>), shared by every instance and kept across restarts, with each key's secret
/// encrypted under the PHI key (<see cref="PhiXmlEncryptor"/>, AES-256-GCM): reading the database, or a backup of it,
/// is not enough to forge a session. Not the home folder, where the framework would otherwise put it unencrypted.
/// </summary>
internal static class DataProtectionKeys
{
    /// <summary>The application name all instances share (the default is the content root path, which differs per install).</summary>
    public const string ApplicationName = "CoverageCheck";

    public static IServiceCollection AddDataProtectionKeysInDatabase(this IServiceCollection services)
    {
        services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, provider) =>
        {
            options.XmlRepository = provider.GetRequiredService<DatabaseXmlRepository>();
            options.XmlEncryptor = new PhiXmlEncryptor(provider.GetRequiredService<PhiProtector>());
        });
        return services;
    }
}

/// <summary>
/// The key ring's XML elements in <c>data_protection_keys</c>, over Dapper for both providers. Data Protection calls
/// this synchronously and rarely (at start-up, and when it refreshes the ring, about once a day).
/// </summary>
internal sealed class DatabaseXmlRepository(
    IDbConnectionFactory database, DatabaseReadiness readiness, TimeProvider timeProvider) : IXmlRepository
{
    // Data Protection may load the ring while the service starts; the schema must be in place first.
    private static readonly TimeSpan s_migrationWait = TimeSpan.FromSeconds(60);

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        WaitForSchema();
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        const string sql = "SELECT xml FROM data_protection_keys ORDER BY id";
        return [.. connection.Query<string>(sql).Select(xml => XElement.Parse(xml))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        WaitForSchema();
        using var connection = database.OpenAsync(CancellationToken.None).GetAwaiter().GetResult();
        const string sql = """
            INSERT INTO data_protection_keys (friendly_name, xml, created_at)
            VALUES (@friendlyName, @xml, @createdAt)
            """;
        connection.Execute(sql, new
        {
            friendlyName = Sql.Truncate(friendlyName, 256),
            xml = element.ToString(SaveOptions.DisableFormatting),
            createdAt = timeProvider.GetUtcNow(),
        });
    }

    private void WaitForSchema()
    {
        if (!readiness.WhenMigrated.Wait(s_migrationWait))
        {
            throw new InvalidOperationException("The database schema was not ready in time to read the Data Protection key ring.");
        }
    }
}

/// <summary>
/// Encrypts a Data Protection key's descriptor (its secret) with the PHI key: AES-256-GCM through
/// <see cref="PhiProtector"/>, bound to its own column name so the ciphertext cannot pass for PHI or the reverse.
/// </summary>
internal sealed class PhiXmlEncryptor(PhiProtector protector) : IXmlEncryptor
{
    internal const string Column = "data_protection_keys.xml";
    internal static readonly XName ElementName = "encryptedDescriptor";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var text = plaintextElement.ToString(SaveOptions.DisableFormatting);
        var cipher = protector.Protect(text, Guid.Empty, Column);
        var element = new XElement(ElementName,
            new XComment(" The key's descriptor, AES-256-GCM under the PHI key (Phi:Key / Phi:KeyId); see docs/storage-and-security.md. "),
            new XAttribute("keyId", protector.CurrentKeyId),
            Convert.ToBase64String(cipher));
        return new EncryptedXmlInfo(element, typeof(PhiXmlDecryptor));
    }
}

/// <summary>The other half of <see cref="PhiXmlEncryptor"/>; Data Protection creates it with the service provider.</summary>
internal sealed class PhiXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var protector = services.GetRequiredService<PhiProtector>();
        var cipher = Convert.FromBase64String(encryptedElement.Value.Trim());
        return XElement.Parse(protector.Unprotect(cipher, Guid.Empty, PhiXmlEncryptor.Column));
    }
}
